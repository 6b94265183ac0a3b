package web

import (
	"net/http"

	"sakura/internal/errs"
)

// The pages below are being written; they answer 503 meanwhile.

func (h *server) officeSeats(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

func (h *server) officeSchool(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

func (h *server) officeSchoolSave(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

func (h *server) officeCampaign(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

func (h *server) officeCampaignSave(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

func (h *server) officeUsers(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

func (h *server) officeUserAdd(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

func (h *server) officeUserChange(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

func (h *server) officeAudit(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}
