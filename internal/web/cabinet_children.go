package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"sakura/internal/admission"
	"sakura/internal/application"
	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/iin"
	"sakura/internal/person"
)

// myChild is one child of the signed-in parent. Its key (the IIN, or name
// and birth date) stays on the server: pages name the child by its place
// in the list instead, so that no IIN ends up in a URL, a log or a
// browser's history.
type myChild struct {
	key  string // application.Answers.ChildKey
	name string // masked, «Әлихан С.»
	born time.Time
}

// myChildren lists the parent's children: those the person registry links
// to the parent and any other child the parent applied for, youngest last.
// The order is by birth date and then key, so that it does not depend on
// the order the registry or the applications come in; a child's page is
// its place in it, from 1.
func (h *server) myChildren(r *http.Request, cab *cabinet) ([]myChild, error) {
	linked, err := h.persons.Children(r.Context(), cab.account.IIN)
	if err != nil {
		return nil, fmt.Errorf("my children: %w", err)
	}
	apps, err := h.apps.Applications(r.Context(), cab.account.ID)
	if err != nil {
		return nil, fmt.Errorf("my children: %w", err)
	}

	var out []myChild
	seen := map[string]bool{}
	for _, p := range linked {
		if !seen[p.IIN] {
			seen[p.IIN] = true
			out = append(out, myChild{key: p.IIN, name: person.MaskedName(p), born: p.BirthDate})
		}
	}
	for _, a := range slices.Backward(apps) { // the first application names the child
		if seen[a.Child] {
			continue
		}
		seen[a.Child] = true
		c := myChild{key: a.Child, name: a.ChildName, born: a.Answers.ChildBirthDate}
		if c.name == "" {
			c.name = a.Answers.MaskedChild()
		}
		if n, err := iin.Parse(a.Child, h.now()); err == nil && c.born.IsZero() {
			c.born = n.BirthDate // a child the registry does not link: the IIN holds the date
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b myChild) int {
		return cmp.Or(a.born.Compare(b.born), cmp.Compare(a.key, b.key))
	})
	return out, nil
}

// childURL is the page of the n-th child of the list, from 1.
func childURL(lang i18n.Lang, n int) string {
	return cabinetURL(lang, "children/"+strconv.Itoa(n))
}

// childRow is a child as the list shows it.
type childRow struct {
	Name string
	Born string
	URL  string
}

// childrenView is the data of "my children".
type childrenView struct {
	Nav      cabinetNav
	Items    []childRow
	StartURL string // the grade-1 wizard of the remembered city, for the empty list
}

// childrenPage lists the parent's children, each with the link to its
// timeline.
func (h *server) childrenPage(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	children, err := h.myChildren(r, cab)
	if err != nil {
		return err
	}
	v := childrenView{Nav: h.nav(r, cab, "children")}
	for i, c := range children {
		v.Items = append(v.Items, childRow{Name: c.name, Born: dateOrEmpty(c.born), URL: childURL(cab.lang, i+1)})
	}
	if c := h.rememberedCity(r); c != nil {
		v.StartURL = "/" + string(cab.lang) + "/" + c.Slug + "/apply/grade1"
	}
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_children", cab.tr.T("cabinet.nav.children"), v)
}

// childView is the data of one child's timeline.
type childView struct {
	Nav      cabinetNav
	Name     string
	Born     string
	Entries  []childEntryView
	Back     string
	StartURL string
}

// childEntryView is one entry of a child's timeline: when, what happened,
// and the card it happened to.
type childEntryView struct {
	At       string
	DateTime string
	Text     string
	Reason   string // a refusal's reason and comment
	Service  string // the service the application is for
	Class    string // the status or the event, for the style
	URL      string // the application's or the referral's card
	Link     string // the card's name
}

// childPage shows everything that happened to one of the parent's
// children, newest first, across every service. A place in the list that
// holds no child is not found, like another parent's child, since the
// list is the parent's own.
func (h *server) childPage(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	children, err := h.myChildren(r, cab)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || n < 1 || n > len(children) || r.PathValue("id") != strconv.Itoa(n) {
		return fmt.Errorf("child %q: %w", r.PathValue("id"), errs.ErrNotFound)
	}
	c := children[n-1]
	entries, err := h.office.ChildTimeline(r.Context(), cab.account.ID, c.key)
	if err != nil {
		return fmt.Errorf("child's timeline: %w", err)
	}

	v := childView{Nav: h.nav(r, cab, "children"), Name: c.name, Born: dateOrEmpty(c.born),
		Back: cabinetURL(cab.lang, "children")}
	for _, e := range entries {
		v.Entries = append(v.Entries, h.childEntry(r, cab, e))
	}
	if city := h.rememberedCity(r); city != nil && len(v.Entries) == 0 {
		v.StartURL = "/" + string(cab.lang) + "/" + city.Slug + "/apply/grade1"
	}
	return h.cabinetPage(w, r, http.StatusOK, "cabinet_child", cab.tr.T("children.title", "Name", c.name), v)
}

// childEntry says what one entry of the timeline records, in the page's
// language, with the link to the card it belongs to.
func (h *server) childEntry(r *http.Request, cab *cabinet, e admission.TimelineEntry) childEntryView {
	tr := cab.tr
	v := childEntryView{At: e.At.In(kazakhstan).Format("02.01.2006 15:04"), DateTime: e.At.UTC().Format(time.RFC3339)}
	if e.ApplicationID != 0 {
		v.Service = tr.T("service." + string(e.AppKind) + ".title")
		v.URL = cabinetURL(cab.lang, "applications/"+strconv.FormatInt(e.ApplicationID, 10))
		v.Link = tr.T("children.link.application", "Number", string(e.Number))
	}

	switch e.Kind {
	case admission.EntryChange:
		c := e.Change
		v.Class = string(c.Status)
		if c.Status == application.Submitted {
			v.Text = tr.T("children.filed")
		} else {
			v.Text = tr.T("status." + string(c.Status))
		}
		if c.Reason != "" {
			v.Reason = translated(tr, "admission.reason."+c.Reason, c.Reason)
			if c.Comment != "" {
				v.Reason += ". " + c.Comment
			}
		}
	case admission.EntryIssued, admission.EntryClosed:
		ref := e.Referral
		event := "issued"
		if e.Kind == admission.EntryClosed {
			event = string(ref.Status)
		}
		v.Class = event
		v.Text = tr.T("children."+event+"."+string(ref.Kind), "Until", ref.ValidUntil.Format("02.01.2006"))
		v.URL = cabinetURL(cab.lang, "referrals/"+strconv.FormatInt(ref.ID, 10))
		v.Link = tr.T("children.link."+string(ref.Kind), "Number", ref.Number)
	case admission.EntryMovement:
		m := e.Movement
		v.Class = string(m.Kind)
		school := h.schoolName(r, cab.lang, e.City, m.SchoolID)
		switch to := m.LeftFor(); {
		case m.Kind == admission.Left && to != 0:
			v.Text = tr.T("children.left_for", "School", school, "To", h.schoolName(r, cab.lang, e.City, to))
		default:
			v.Text = tr.T("files.movement."+string(m.Kind), "School", school, "Class", fmt.Sprintf("%d%s", m.Grade, m.Class))
		}
		if v.URL == "" {
			v.URL, v.Link = cabinetURL(cab.lang, "files"), tr.T("cabinet.nav.files")
		}
	}
	return v
}

// applicationChild sends the parent from an application's card to the
// timeline of the child it is for.
func (h *server) applicationChild(w http.ResponseWriter, r *http.Request, cab *cabinet) error {
	a, err := h.ownApplication(r, cab)
	if err != nil {
		return err
	}
	to := cabinetURL(cab.lang, "children")
	if h.office != nil {
		children, err := h.myChildren(r, cab)
		if err != nil {
			return err
		}
		if i := slices.IndexFunc(children, func(c myChild) bool { return c.key == a.Child }); i >= 0 {
			to = childURL(cab.lang, i+1)
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// dateOrEmpty writes a date as people read it, or "" for none.
func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02.01.2006")
}
