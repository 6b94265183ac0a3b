package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"sakura/internal/application"
	"sakura/internal/staff"
)

// routes is the portal's route table. Every path the portal answers is here;
// a path that matches nothing gets the portal's 404 page, and a known path
// asked with the wrong method its 405 page (see route).
func (h *server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(pattern string, fn handlerFunc) { mux.Handle(pattern, h.handle(fn)) }

	// Start: choose the city and the language, remembered in cookies.
	handle("GET /{$}", h.chooseShow)
	handle("POST /{$}", h.chooseSave)

	// The home page of a city.
	handle("GET /{lang}/{city}", h.homeRedirect)
	handle("GET /{lang}/{city}/{$}", h.home)

	// Useful information (not built yet).
	if h.places != nil {
		handle("GET /{lang}/{city}/find-school", h.findSchool)
	} else {
		handle("GET /{lang}/{city}/find-school", h.soon("service.find_school"))
	}

	// The teacher registry and the teacher card, from memory (see
	// withTeachers for a server built without a registry).
	handle("GET /{lang}/{city}/teachers", h.withTeachers(h.teacherRegistry, "service.teachers"))
	handle("GET /{lang}/{city}/teachers/{id}", h.withTeachers(h.teacherCard, "service.teachers"))

	// The school registry, the passport and the map, from memory (see
	// withSchools for a server built without a registry).
	handle("GET /{lang}/{city}/map", h.withSchools(h.schoolMap, "service.map"))
	handle("GET /{lang}/{city}/schools", h.withSchools(h.schoolList, "service.schools"))
	handle("GET /{lang}/{city}/schools/{id}", h.withSchools(h.schoolPassport, "service.schools"))
	if h.docs != nil {
		handle("GET /{lang}/{city}/schools/{id}/photos/{photo}", h.withSchools(h.schoolPhoto, "service.schools"))
	}

	// The six application services: a wizard each, a step a page, each
	// draft on the server (see apply.go).
	for _, kind := range application.Kinds {
		base := "/{lang}/{city}/apply/" + string(kind)
		if h.apps == nil {
			handle("GET "+base, h.soon("service."+string(kind)))
			continue
		}
		handle("GET "+base, h.applyStart(kind))
		handle("POST "+base, h.applyNew(kind))
		handle("GET "+base+"/{draft}", h.applyResume(kind))
		handle("GET "+base+"/{draft}/{step}", h.applyStep(kind))
		handle("POST "+base+"/{draft}/{step}", h.applySave(kind))
		handle("POST "+base+"/{draft}/submit", h.applySubmit(kind))
		handle("GET "+base+"/{draft}/done", h.applyDone(kind))
	}

	// The personal cabinet belongs to no city: the header shows the
	// remembered one. Its paths use literal segments only, since a
	// wildcard after /{lang}/cabinet/ would clash with /{lang}/{city}/….
	if h.accounts != nil {
		// Signing in: by password, or by a code to the phone on record
		// (the first time, and when the password is forgotten).
		handle("GET /{lang}/cabinet", h.cabinetHome)
		handle("POST /{lang}/cabinet/signin", h.cabinetSignIn)
		handle("GET /{lang}/cabinet/code", h.cabinetCodeForm)
		handle("POST /{lang}/cabinet/code", h.cabinetCodeSend)
		handle("GET /{lang}/cabinet/code/verify", h.cabinetVerifyForm)
		handle("POST /{lang}/cabinet/code/verify", h.cabinetVerify)
		handle("POST /{lang}/cabinet/code/resend", h.cabinetResend)
		handle("GET /{lang}/cabinet/password/new", h.cabinetPasswordForm)
		handle("POST /{lang}/cabinet/password/new", h.cabinetPasswordSet)
		handle("POST /{lang}/cabinet/signout", h.cabinetSignOut)
		handle("POST /{lang}/cabinet/signout/all", h.signedIn(h.cabinetSignOutAll))

		// The sections; the feed is the cabinet's home.
		if h.apps != nil {
			handle("GET /{lang}/cabinet/applications", h.signedIn(h.applicationsPage))
			handle("GET /{lang}/cabinet/applications/{id}", h.signedIn(h.applicationCard))
			handle("POST /{lang}/cabinet/applications/{id}/withdraw", h.signedIn(h.applicationWithdraw))
			handle("GET /{lang}/cabinet/applications/{id}/documents/{n}", h.signedIn(h.applicationDocument))
		} else {
			handle("GET /{lang}/cabinet/applications", h.signedIn(h.cabinetSection("applications")))
		}
		// One child, one timeline: the parent's children, each child's
		// page by its place in the list (never its IIN), and the way there
		// from an application's card.
		if h.apps != nil {
			handle("GET /{lang}/cabinet/applications/{id}/child", h.signedIn(h.applicationChild))
		}
		if h.office != nil {
			handle("GET /{lang}/cabinet/children", h.signedIn(h.childrenPage))
			handle("GET /{lang}/cabinet/children/{id}", h.signedIn(h.childPage))
		} else {
			handle("GET /{lang}/cabinet/children", h.signedIn(h.cabinetSection("children")))
		}
		if h.office != nil {
			handle("GET /{lang}/cabinet/referrals", h.signedIn(h.referralsPage))
			handle("GET /{lang}/cabinet/referrals/{id}", h.signedIn(h.referralCard))
			handle("GET /{lang}/cabinet/files", h.signedIn(h.filesPage))
		} else {
			handle("GET /{lang}/cabinet/referrals", h.signedIn(h.cabinetSection("referrals")))
			handle("GET /{lang}/cabinet/files", h.signedIn(h.cabinetSection("files")))
		}

		// Settings.
		handle("GET /{lang}/cabinet/settings", h.signedIn(h.settingsPage))
		handle("POST /{lang}/cabinet/settings/preferences", h.signedIn(h.settingsPreferences))
		handle("POST /{lang}/cabinet/settings/phone", h.signedIn(h.settingsPhone))
		handle("GET /{lang}/cabinet/settings/phone", h.signedIn(h.settingsPhoneForm))
		handle("POST /{lang}/cabinet/settings/phone/confirm", h.signedIn(h.settingsPhoneConfirm))
		handle("POST /{lang}/cabinet/settings/phone/resend", h.signedIn(h.settingsPhoneResend))
		handle("POST /{lang}/cabinet/settings/email", h.signedIn(h.settingsEmail))
		handle("POST /{lang}/cabinet/settings/password", h.signedIn(h.settingsPassword))
		handle("POST /{lang}/cabinet/sessions/end", h.signedIn(h.sessionEnd))

		// The link of an e-mail confirmation, which may be opened on any
		// device, signed in or not.
		handle("GET /{lang}/cabinet/email", h.emailConfirmForm)
		handle("POST /{lang}/cabinet/email", h.emailConfirm)
	} else {
		handle("GET /{lang}/cabinet", h.soonAnyCity("service.cabinet"))
	}

	// The back office. Like the cabinet it belongs to no city, and its
	// paths use literal segments only. Every page checks the session and
	// the role's permission (staffOnly) and every object the staff
	// member's reach.
	if h.staff != nil {
		handle("GET /{lang}/office", h.officeHome)
		handle("POST /{lang}/office/signin", h.officeSignIn)
		handle("GET /{lang}/office/factor", h.officeFactorForm)
		handle("POST /{lang}/office/factor", h.officeFactor)
		handle("POST /{lang}/office/signout", h.officeSignOut)
		handle("GET /{lang}/office/reauth", h.staffOnly("", h.officeReauthForm))
		handle("POST /{lang}/office/reauth", h.staffOnly("", h.officeReauth))

		// Applications: the queue, the card, decisions, documents.
		handle("GET /{lang}/office/applications", h.staffOnly(staff.Decide, h.officeQueue))
		handle("GET /{lang}/office/applications/{id}", h.staffOnly(staff.Decide, h.officeCard))
		handle("POST /{lang}/office/applications/{id}/decide", h.staffOnly(staff.Decide, h.officeDecide))
		handle("GET /{lang}/office/applications/{id}/documents/{n}", h.staffOnly(staff.Decide, h.officeDocument))
		handle("POST /{lang}/office/referrals", h.staffOnly(staff.Decide, h.officeBulk))

		// Seats, school data, the campaign and the staff accounts.
		handle("GET /{lang}/office/seats", h.staffOnly(staff.Decide, h.officeSeats))
		handle("GET /{lang}/office/school", h.staffOnly(staff.KeepSchool, h.officeSchool))
		handle("POST /{lang}/office/school", h.staffOnly(staff.KeepSchool, h.officeSchoolSave))
		handle("POST /{lang}/office/school/photos", h.staffOnly(staff.KeepSchool, h.officePhotoAdd))
		handle("POST /{lang}/office/school/photos/{photo}/delete", h.staffOnly(staff.KeepSchool, h.officePhotoDelete))
		handle("GET /{lang}/office/pupils", h.staffOnly(staff.KeepSchool, h.officePupils))
		handle("GET /{lang}/office/campaign", h.staffOnly(staff.KeepCampaign, h.officeCampaign))
		handle("POST /{lang}/office/campaign", h.staffOnly(staff.KeepCampaign, h.officeCampaignSave))
		handle("GET /{lang}/office/users", h.staffOnly(staff.KeepUsers, h.officeUsers))
		handle("POST /{lang}/office/users", h.staffOnly(staff.KeepUsers, h.officeUserAdd))
		handle("POST /{lang}/office/users/{id}", h.staffOnly(staff.KeepUsers, h.officeUserChange))
		handle("GET /{lang}/office/audit", h.staffOnly(staff.ReadAudit, h.officeAudit))

		// Catchments: an upload, its preview on the map, then saving it.
		handle("GET /{lang}/office/catchments", h.staffOnly(staff.KeepCatchments, h.officeCatchments))
		handle("POST /{lang}/office/catchments", h.staffOnly(staff.KeepCatchments, h.officeCatchmentsPreview))
		handle("POST /{lang}/office/catchments/save", h.staffOnly(staff.KeepCatchments, h.officeCatchmentsSave))

		// Summer camps and their shifts, which the department keeps; an
		// administrator chooses the city as on the campaign page.
		handle("GET /{lang}/office/camps", h.staffOnly(staff.KeepCampaign, h.officeCamps))
		handle("POST /{lang}/office/camps", h.staffOnly(staff.KeepCampaign, h.officeCampSave))
		handle("POST /{lang}/office/camps/{camp}", h.staffOnly(staff.KeepCampaign, h.officeCampSave))
		handle("POST /{lang}/office/camps/{camp}/shifts", h.staffOnly(staff.KeepCampaign, h.officeShiftSave))
		handle("POST /{lang}/office/camps/{camp}/shifts/{shift}", h.staffOnly(staff.KeepCampaign, h.officeShiftSave))

		// Reports, with their charts and CSV files.
		handle("GET /{lang}/office/reports", h.staffOnly(staff.ReadReports, h.officeReports))
		handle("GET /{lang}/office/reports/{file}", h.staffOnly(staff.ReadReports, h.officeReportCSV))
	} else {
		handle("GET /{lang}/office", h.soonAnyCity("service.office"))
	}

	// The public check of a referral, which its QR code opens.
	if h.office != nil {
		handle("GET /{lang}/verify/referral/{code}", h.verifyReferral)
	}

	// Open-data API, described by openapi.json.
	handle("GET /api/v1/cities", h.apiCities)
	handle("GET /api/v1/openapi.json", h.apiOpenAPI)
	handle("GET /api/v1/cities/{city}/schools", h.withSchools(h.apiSchools, ""))
	handle("GET /api/v1/cities/{city}/schools/{id}", h.withSchools(h.apiSchoolPassport, ""))
	handle("GET /api/v1/cities/{city}/schools.geojson", h.withSchools(h.apiSchoolsGeoJSON, ""))
	handle("GET /api/v1/cities/{city}/schools.csv", h.withSchools(h.apiSchoolsCSV, ""))
	handle("GET /api/v1/cities/{city}/teachers", h.withTeachers(h.apiTeacherList, ""))
	// Addresses and catchments; without Places they answer 503.
	handle("GET /api/v1/cities/{city}/addresses", h.apiAddresses)
	handle("GET /api/v1/cities/{city}/catchment", h.apiCatchment)
	handle("GET /api/v1/cities/{city}/catchments.geojson", h.apiCatchmentsGeoJSON)

	// Demo outbox and persons: only in demo mode; otherwise these paths do
	// not exist and answer 404.
	if h.demo {
		handle("GET /dev/people.json", h.devPeople)
		handle("GET /dev/outbox.json", h.devOutboxJSON)
		handle("GET /dev/outbox", h.devOutbox)
		if h.staff != nil {
			handle("GET /dev/staff.json", h.devStaffJSON)
			handle("GET /dev/staff", h.devStaff)
		}
	}

	// The SMS gateway's delivery receipts, when it sends them.
	if h.receipts != nil {
		mux.Handle("POST /hooks/sms-receipt", h.receipts)
	}

	// Operations.
	handle("GET /healthz", h.healthz)
	handle("GET /readyz", h.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(h.registry, promhttp.HandlerOpts{}))

	// Static assets: one exact path per embedded file, with its content
	// hash in the name. A wildcard such as /static/{file} would clash with
	// /{lang}/cabinet, so each file gets a literal pattern.
	for _, a := range h.assets.list {
		mux.Handle("GET "+a.path, a)
	}

	return mux
}

// middleware wraps the routed handler. The order, outermost first, is
// written once, here.
func (h *server) middleware(next http.Handler) http.Handler {
	// Cross-origin protection sits next to the routes, so that no handler
	// ever sees a cross-origin POST; its refusal is a 403 page from fail.
	next = h.crossOrigin(next)

	// recoverer turns a panic into a 500 page; it sits inside the layers
	// below, so the page still gets the security headers, a log line and a
	// count.
	next = h.recoverer(next)

	// Security headers are set before anything inside writes, so every
	// response has them: pages, errors, assets and rejections alike.
	next = h.secure(next)

	// observe logs and counts every response with its route pattern and
	// final status; it needs the request id from outside it.
	next = h.observe(next)

	// requestID is outermost: every log line and every response, even a
	// refused one, carries the id.
	return h.requestID(next)
}

// route serves r with the route table. When nothing matches (observe has
// looked), the mux would answer with its own plain 404 or 405; route asks it
// which, and renders the portal's page instead, keeping the Allow header.
func (h *server) route(w http.ResponseWriter, r *http.Request) {
	if infoOf(r.Context()).route != unmatched {
		h.mux.ServeHTTP(w, r)
		return
	}

	handler, _ := h.mux.Handler(r)
	probe := &headerProbe{header: http.Header{}}
	handler.ServeHTTP(probe, r)
	if probe.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", probe.header.Get("Allow"))
		h.fail(w, r, errMethodNotAllowed)
		return
	}
	h.fail(w, r, errNoRoute)
}

// headerProbe is a ResponseWriter that keeps the status and headers of the
// mux's own answer and drops its body.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(code int)        { p.status = code }
