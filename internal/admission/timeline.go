package admission

import (
	"strconv"
	"strings"
	"time"

	"sakura/internal/application"
)

// EntryKind says what one entry of a child's timeline records.
type EntryKind string

// The entries of a child's timeline. A filing is the change to
// application.Submitted; a decision is any later change.
const (
	EntryChange   EntryKind = "change"   // an application filed, or its status changed
	EntryIssued   EntryKind = "issued"   // a referral, slip or voucher issued
	EntryClosed   EntryKind = "closed"   // a referral, slip or voucher used or expired
	EntryMovement EntryKind = "movement" // the personal file enrolled or left a school
)

// TimelineEntry is one thing that happened to a child in the portal, as
// the parent's cabinet lists them for the child across every service.
type TimelineEntry struct {
	At   time.Time
	Kind EntryKind

	// The application the entry belongs to. A movement names the one that
	// caused it when it is the parent's; otherwise these are zero.
	ApplicationID int64
	Number        application.Number
	AppKind       application.Kind

	Change   application.Change // EntryChange
	Referral Referral           // EntryIssued and EntryClosed
	Movement Movement           // EntryMovement
	City     string             // the city of the movement's personal file

	// Seq orders entries of one kind that share their instant: the row's
	// id, in the order they were written.
	Seq int64
}

// rank orders entries that share their instant as they happen: the
// decision, then the referral it issues, then its use, then the file's
// movement that the use writes.
func (e TimelineEntry) rank() int {
	switch e.Kind {
	case EntryIssued:
		return 1
	case EntryClosed:
		return 2
	case EntryMovement:
		return 3
	}
	return 0
}

// CompareNewest orders timeline entries newest first; entries of one
// instant stay in the order they happened, reversed.
func CompareNewest(a, b TimelineEntry) int {
	switch {
	case !a.At.Equal(b.At):
		return b.At.Compare(a.At)
	case a.rank() != b.rank():
		return b.rank() - a.rank()
	case a.Seq != b.Seq:
		if a.Seq > b.Seq {
			return -1
		}
		return 1
	}
	return 0
}

// LeftFor returns the school a movement of leaving went to, when its note
// names one of the city (a transfer); 0 otherwise.
func (m Movement) LeftFor() int64 {
	id, ok := strings.CutPrefix(m.Note, "school:")
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0
	}
	return n
}
