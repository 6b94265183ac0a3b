package web

import (
	"fmt"
	"net/http"
	"time"

	"sakura/internal/staff"
)

// auditPerPage is how many lines a page of the audit log shows.
const auditPerPage = 50

// auditView is the data of the audit log's search.
type auditView struct {
	Nav   officeNav
	Form  form
	Lines []auditRow
	Total int
	Pager []pageLink
	Admin bool
}

// auditRow is one line of the audit log.
type auditRow struct {
	At       string
	DateTime string
	Actor    string
	City     string
	Action   string
	Object   string
	Before   string
	After    string
	Client   string
}

// officeAudit searches the back office's audit log, newest first: an
// operator the lines of their city, an administrator every line.
func (h *server) officeAudit(w http.ResponseWriter, r *http.Request, o *office) error {
	l := newListQuery(r, o.tr)
	filter := staff.AuditFilter{City: o.user.City, Actor: l.keep("actor"), Action: l.keep("action"),
		Object: l.keep("object"), Limit: auditPerPage}
	if o.user.Role == staff.RoleAdmin {
		filter.City = l.keep("city")
	}
	filter.From, filter.To = l.days()
	filter.Offset = l.offset(auditPerPage)
	f := l.form

	lines, total, err := h.office.OfficeAudit(r.Context(), filter)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	v := auditView{Nav: h.officeNav(r, o, "audit"), Form: f, Total: total, Admin: o.user.Role == staff.RoleAdmin,
		Pager: pager(r.URL, total, auditPerPage)}
	for _, l := range lines {
		actor := l.Actor
		switch actor {
		case "":
			actor = "—"
		case "queue", "system":
			actor = o.tr.T("office.actor." + actor)
		}
		v.Lines = append(v.Lines, auditRow{At: l.At.In(kazakhstan).Format("02.01.2006 15:04:05"),
			DateTime: l.At.UTC().Format(time.RFC3339), Actor: actor, City: l.City, Action: l.Action, Object: l.Object,
			Before: l.Before, After: l.After, Client: l.Client})
	}
	status := http.StatusOK
	if len(f.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return h.officePage(w, r, o.lang, status, "office_audit", o.tr.T("office.audit.title"), v)
}
