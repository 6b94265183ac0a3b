package web

import (
	"net/http"

	"sakura/internal/errs"
)

// officeReports is the department's reports.
//
// TODO(#6): charts of applications, seats, queues and referrals.
func (h *server) officeReports(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

// officeReportCSV is one report as a CSV file.
func (h *server) officeReportCSV(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}
