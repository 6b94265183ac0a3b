package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"sakura/internal/document"
	"sakura/internal/errs"
	"sakura/internal/school"
	"sakura/internal/staff"
)

// photoView is a school photo as the office and the passport show it.
type photoView struct {
	ID     int64
	URL    string
	Width  int
	Height int
	Delete string // where its delete form posts; office only
}

// photoURL is the public path of a school's photo.
func photoURL(lang, city string, schoolID, photoID int64) string {
	return "/" + lang + "/" + city + "/schools/" + strconv.FormatInt(schoolID, 10) + "/photos/" + strconv.FormatInt(photoID, 10)
}

// officePhotoAdd takes a photo of the school for its passport: a JPEG or
// PNG, checked by its content, turned upright, shrunk and re-encoded
// (which drops its metadata), at most school.MaxPhotos a school.
func (h *server) officePhotoAdd(w http.ResponseWriter, r *http.Request, o *office) error {
	release, err := h.uploadSlot(errUploadsBusy)
	if err != nil {
		return err
	}
	defer release()
	r.Body = http.MaxBytesReader(w, r.Body, document.MaxUpload+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return h.photoRefused(w, r, o, "document.too_big", map[string]any{"Max": document.MaxUpload >> 20})
		}
		return &errs.Error{Kind: errs.Invalid, Key: "cabinet.form_broken", Err: err}
	}
	defer r.MultipartForm.RemoveAll()
	id, err := h.officeSchoolID(r, o)
	if err != nil {
		return err
	}
	if id == 0 {
		return fmt.Errorf("no school chosen: %w", errs.ErrNotFound)
	}
	file, _, err := r.FormFile("photo")
	if errors.Is(err, http.ErrMissingFile) {
		return h.photoRefused(w, r, o, "office.school.photo_required", nil)
	}
	if err != nil {
		return &errs.Error{Kind: errs.Invalid, Key: "cabinet.form_broken", Err: err}
	}
	data, err := io.ReadAll(io.LimitReader(file, document.MaxUpload+1))
	file.Close()
	if err != nil {
		return fmt.Errorf("read photo: %w", err)
	}
	checked, err := document.Check(document.Photo, data)
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) && e.Key != "" {
			return h.photoRefused(w, r, o, e.Key, e.Args)
		}
		return err
	}

	key := document.NewKey()
	if err := h.docs.Put(r.Context(), key, checked.Data); err != nil {
		return err
	}
	p := school.Photo{SchoolID: id, Key: key, ContentType: checked.ContentType, Size: checked.Size,
		Width: checked.Width, Height: checked.Height, Added: h.now()}
	entry := staff.AuditEntry{At: h.now(), UserID: o.user.ID, Actor: o.user.Name, City: o.user.City,
		Action: "school.photo_add", Client: maskedClient(o)}
	if _, err := h.office.AddSchoolPhoto(r.Context(), o.user.City, p, entry); err != nil {
		_ = h.docs.Delete(r.Context(), key) // nothing points at it
		var e *errs.Error
		if errors.As(err, &e) && e.Kind == errs.Conflict {
			return h.photoRefused(w, r, o, e.Key, e.Args)
		}
		return err
	}
	h.cityChanged(o.user.City)
	http.Redirect(w, r, h.schoolPageURL(o, id, "school"), http.StatusSeeOther)
	return nil
}

// schoolPageURL is the school data page of a school after done.
func (h *server) schoolPageURL(o *office, id int64, done string) string {
	u := officeURL(o.lang, "school") + "?done=" + done
	if o.user.Role != staff.RoleSchool {
		u += "&school=" + strconv.FormatInt(id, 10)
	}
	return u
}

// photoRefused shows the school data page again with the refusal of the
// photo next to its field.
func (h *server) photoRefused(w http.ResponseWriter, r *http.Request, o *office, key string, args map[string]any) error {
	id, err := h.officeSchoolID(r, o)
	if err != nil {
		return err
	}
	v, err := h.schoolPage(r, o, id)
	if err != nil {
		return err
	}
	v.Form.Errors = []fieldError{{Field: "photo", Message: o.tr.Message(key, args)}}
	return h.officePage(w, r, o.lang, http.StatusBadRequest, "office_school", o.tr.T("office.school.title"), v)
}

// officePhotoDelete removes a photo of the school.
func (h *server) officePhotoDelete(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err := h.officeSchoolID(r, o)
	if err != nil {
		return err
	}
	photo, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if err != nil || id == 0 {
		return fmt.Errorf("photo %q: %w", r.PathValue("photo"), errs.ErrNotFound)
	}
	entry := staff.AuditEntry{At: h.now(), UserID: o.user.ID, Actor: o.user.Name, City: o.user.City,
		Action: "school.photo_delete", Client: maskedClient(o)}
	key, err := h.office.DeleteSchoolPhoto(r.Context(), o.user.City, id, photo, entry)
	if err != nil {
		return err
	}
	if err := h.docs.Delete(r.Context(), key); err != nil {
		return err
	}
	h.cityChanged(o.user.City)
	http.Redirect(w, r, h.schoolPageURL(o, id, "school"), http.StatusSeeOther)
	return nil
}

// schoolPhoto serves a photo of a school's passport to anyone. The image
// under a key never changes, so it may be cached.
func (h *server) schoolPhoto(w http.ResponseWriter, r *http.Request) error {
	_, c, err := h.place(w, r)
	if err != nil {
		return err
	}
	id, err := schoolID(r)
	if err != nil {
		return err
	}
	pp, err := h.schools.Passport(r.Context(), c.Slug, id)
	if err != nil {
		return err
	}
	photo, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if err != nil {
		return fmt.Errorf("photo %q: %w", r.PathValue("photo"), errs.ErrNotFound)
	}
	for _, p := range pp.Photos {
		if p.ID != photo {
			continue
		}
		data, err := h.docs.Get(r.Context(), p.Key)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", p.ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(data)
		return nil
	}
	return fmt.Errorf("photo %d of school %d: %w", photo, id, errs.ErrNotFound)
}
