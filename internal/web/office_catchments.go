package web

import (
	"net/http"

	"sakura/internal/errs"
)

// officeCatchments is the upload of a city's catchments.
//
// TODO(#6): the upload, its preview on the map, and saving it.
func (h *server) officeCatchments(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

// officeCatchmentsPreview shows an uploaded file on the map before saving.
func (h *server) officeCatchmentsPreview(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}

// officeCatchmentsSave saves what the preview showed.
func (h *server) officeCatchmentsSave(w http.ResponseWriter, r *http.Request, o *office) error {
	return errs.ErrUnavailable
}
