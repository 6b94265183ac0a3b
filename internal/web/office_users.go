package web

import (
	"fmt"
	"net/http"
	"strconv"

	"sakura/internal/errs"
	"sakura/internal/staff"
)

// usersView is the data of the staff accounts page.
type usersView struct {
	Nav      officeNav
	Users    []userRow
	Form     form
	Roles    []option
	Cities   []option
	Password string // the new account's password, shown once after adding it
	Added    string // the new account's login
}

// userRow is one staff account as the list shows it.
type userRow struct {
	ID       int64
	Login    string
	Name     string
	Role     string
	Where    string // the city or the school
	Factor   bool
	Disabled bool
	Self     bool
	Action   string
}

// officeUsers lists the staff accounts, with the form that adds one.
func (h *server) officeUsers(w http.ResponseWriter, r *http.Request, o *office) error {
	v, err := h.usersView(r, o, form{Values: map[string]string{}})
	if err != nil {
		return err
	}
	return h.officePage(w, r, o.lang, http.StatusOK, "office_users", o.tr.T("office.users.title"), v)
}

func (h *server) usersView(r *http.Request, o *office, f form) (usersView, error) {
	v := usersView{Nav: h.officeNav(r, o, "users"), Form: f}
	users, err := h.staff.Users(r.Context())
	if err != nil {
		return v, fmt.Errorf("staff accounts: %w", err)
	}
	for _, u := range users {
		row := userRow{ID: u.ID, Login: u.Login, Name: u.Name, Role: o.tr.T("office.role." + string(u.Role)),
			Factor: u.Enrolled(), Disabled: u.Disabled, Self: u.ID == o.user.ID,
			Action: officeURL(o.lang, "users/"+strconv.FormatInt(u.ID, 10))}
		switch {
		case u.SchoolID != 0:
			row.Where = h.schoolName(r, o.lang, u.City, u.SchoolID)
		case u.City != "":
			if c, err := h.cities.City(r.Context(), u.City); err == nil {
				row.Where = c.Name.In(o.lang)
			}
		}
		v.Users = append(v.Users, row)
	}
	for _, role := range staff.Roles {
		v.Roles = append(v.Roles, option{Value: string(role), Label: o.tr.T("office.role." + string(role)),
			Selected: string(role) == f.Value("role")})
	}
	cities, err := h.cities.Cities(r.Context())
	if err != nil {
		return v, err
	}
	for _, c := range cities {
		v.Cities = append(v.Cities, option{Value: c.Slug, Label: c.Name.In(o.lang), Selected: c.Slug == f.Value("city")})
	}
	return v, nil
}

// officeUserAdd adds a staff account with a new random password, shown
// once; the second factor is set up at the first sign-in.
func (h *server) officeUserAdd(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := values(r, "login", "name", "role", "city", "school")
	role, _ := staff.ParseRole(f.Value("role"))
	n := staff.NewUser{Login: f.Value("login"), Name: f.Value("name"), Role: role, City: f.Value("city"),
		Password: staff.NewPassword()}
	if role == staff.RoleSchool {
		id, err := strconv.ParseInt(f.Value("school"), 10, 64)
		if err == nil && id > 0 {
			if _, err := h.schools.School(r.Context(), n.City, id); err == nil {
				n.SchoolID = id
			}
		}
	}
	if role == staff.RoleOperator || role == staff.RoleSchool {
		if _, err := h.cities.City(r.Context(), n.City); err != nil {
			n.City = ""
		}
	}
	u, err := h.staff.AddUser(r.Context(), o.user, n, o.client)
	if err != nil {
		list, status, ok := h.formErrors(w, o.tr, err, "login")
		if !ok {
			return err
		}
		f.Errors = list
		v, verr := h.usersView(r, o, f)
		if verr != nil {
			return verr
		}
		return h.officePage(w, r, o.lang, status, "office_users", o.tr.T("office.users.title"), v)
	}
	v, err := h.usersView(r, o, form{Values: map[string]string{}})
	if err != nil {
		return err
	}
	v.Password, v.Added = n.Password, u.Login
	v.Nav.Flash = o.tr.T("office.done.user_added")
	return h.officePage(w, r, o.lang, http.StatusOK, "office_users", o.tr.T("office.users.title"), v)
}

// officeUserChange disables, enables or resets the second factor of an
// account.
func (h *server) officeUserChange(w http.ResponseWriter, r *http.Request, o *office) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return fmt.Errorf("staff account %q: %w", r.PathValue("id"), errs.ErrNotFound)
	}
	ch := staff.Change(r.PostFormValue("change"))
	if _, err := h.staff.ChangeUser(r.Context(), o.user, id, ch, o.client); err != nil {
		return err
	}
	http.Redirect(w, r, officeURL(o.lang, "users")+"?done=user_changed", http.StatusSeeOther)
	return nil
}
