package web

import (
	"fmt"
	"net/http"
	"strings"

	"sakura/internal/demo"
	"sakura/internal/staff"
)

// demoStaff is a demo staff account as /dev/staff shows it: enough to sign
// in to the back office, the code of the moment included.
type demoStaff struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	City     string `json:"city,omitempty"`
	SchoolID int64  `json:"school_id,omitempty"`
	Code     string `json:"code"` // the authenticator's code now
}

// staffPage is what the demo staff template shows.
type staffPage struct {
	Password string
	Staff    []demoStaff
}

// demoStaffList lists the demo's staff accounts (those whose login begins
// with demo-, never one added with sakura user) with their codes now.
func (h *server) demoStaffList(r *http.Request) ([]demoStaff, error) {
	users, err := h.staff.Users(r.Context())
	if err != nil {
		return nil, fmt.Errorf("demo staff: %w", err)
	}
	out := []demoStaff{}
	now := h.now()
	for _, u := range users {
		if !strings.HasPrefix(u.Login, demo.StaffPrefix) || u.TOTPSecret != demo.StaffSecret(u.Login) {
			continue
		}
		code, err := staff.Code(u.TOTPSecret, now)
		if err != nil {
			return nil, err
		}
		out = append(out, demoStaff{Login: u.Login, Name: u.Name, Role: string(u.Role), City: u.City,
			SchoolID: u.SchoolID, Code: code})
	}
	return out, nil
}

// devStaffJSON answers GET /dev/staff.json in demo mode.
func (h *server) devStaffJSON(w http.ResponseWriter, r *http.Request) error {
	list, err := h.demoStaffList(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list)
}

// devStaff answers GET /dev/staff in demo mode: the same as a page.
func (h *server) devStaff(w http.ResponseWriter, r *http.Request) error {
	list, err := h.demoStaffList(r)
	if err != nil {
		return err
	}
	lang := h.visitorLang(r)
	p := h.newPage(r, lang, h.catalog.Translator(lang).T("devstaff.title"), h.rememberedCity(r))
	p.Data = staffPage{Password: demo.StaffPassword, Staff: list}
	w.Header().Set("Cache-Control", "no-store")
	return h.render(w, http.StatusOK, "dev_staff", p)
}
