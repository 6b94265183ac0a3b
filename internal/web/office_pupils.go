package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sakura/internal/errs"
	"sakura/internal/person"
	"sakura/internal/school"
	"sakura/internal/staff"
)

// pupilsView is the data of the pupils page: a school's pupils now and
// those who left it.
type pupilsView struct {
	Nav     officeNav
	Action  string
	Schools []option // an operator's choice of school
	School  string   // the school's name; "" until one is chosen
	Now     []pupilRow
	Left    []leaverRow
}

// pupilRow is a pupil of the school now.
type pupilRow struct {
	Name       string
	Class      string // grade and class letter, such as 1Ә
	SchoolYear string
	Enrolled   string
	DateTime   string
}

// leaverRow is a child who left the school.
type leaverRow struct {
	Name     string
	Left     string
	DateTime string
	Class    string // grade and class letter the child had, when known
	For      string // the school left for, or another city / for good
}

// officePupils shows a school's register: the pupils whose personal file
// is at the school now and those whose file left it, with the school they
// went to. School staff see their own school, an operator the school of
// the city chosen with ?school=; any other school is not found.
func (h *server) officePupils(w http.ResponseWriter, r *http.Request, o *office) error {
	id, err := h.pupilsSchoolID(r, o)
	if err != nil {
		return err
	}
	v := pupilsView{Nav: h.officeNav(r, o, "pupils"), Action: officeURL(o.lang, "pupils")}
	if o.user.Role == staff.RoleOperator {
		all, err := h.schools.All(r.Context(), o.user.City, o.lang, school.Filter{})
		if err != nil {
			return err
		}
		for _, s := range all {
			v.Schools = append(v.Schools, option{Value: strconv.FormatInt(s.ID, 10), Label: s.Name.In(o.lang),
				Selected: s.ID == id})
		}
	}
	if id != 0 {
		if err := h.fillPupils(r, o, id, &v); err != nil {
			return err
		}
	}
	return h.officePage(w, r, o.lang, http.StatusOK, "office_pupils", o.tr.T("office.pupils.title"), v)
}

// pupilsSchoolID is the school whose register the page shows, as
// officeSchoolID finds it; school staff who name another school in the
// query find nothing, as for any school out of reach.
func (h *server) pupilsSchoolID(r *http.Request, o *office) (int64, error) {
	if v := r.URL.Query().Get("school"); o.user.Role == staff.RoleSchool && v != "" &&
		v != strconv.FormatInt(o.user.SchoolID, 10) {
		return 0, fmt.Errorf("school %q out of reach: %w", v, errs.ErrNotFound)
	}
	id, err := h.officeSchoolID(r, o)
	if err != nil {
		return 0, err
	}
	if id != 0 && !o.user.May(staff.KeepSchool, o.user.City, id) {
		return 0, fmt.Errorf("school %d out of reach: %w", id, errs.ErrNotFound)
	}
	return id, nil
}

// fillPupils reads the school's register into the page. The children's
// full names are for the school's own staff, whose pupils they are; an
// operator sees them masked, as the queues show them.
func (h *server) fillPupils(r *http.Request, o *office, id int64, v *pupilsView) error {
	reg, err := h.office.SchoolPupils(r.Context(), id)
	if err != nil {
		return fmt.Errorf("office pupils: %w", err)
	}
	city := o.user.City
	v.School = h.schoolName(r, o.lang, city, id)
	full := o.user.Role == staff.RoleSchool && o.user.SchoolID == id
	name := func(n string) string {
		if full {
			return n
		}
		return maskedPupil(n)
	}
	for _, p := range reg.Now {
		v.Now = append(v.Now, pupilRow{Name: name(p.Name), Class: fmt.Sprintf("%d%s", p.Grade, p.Class),
			SchoolYear: fmt.Sprintf("%d–%d", p.SchoolYear, p.SchoolYear+1),
			Enrolled:   p.Enrolled.In(kazakhstan).Format("02.01.2006"), DateTime: p.Enrolled.UTC().Format(time.RFC3339)})
	}
	for _, l := range reg.Left {
		m := l.Movement
		row := leaverRow{Name: name(l.Name), Left: m.At.In(kazakhstan).Format("02.01.2006"),
			DateTime: m.At.UTC().Format(time.RFC3339), Class: o.tr.T("office.pupils.class_unknown"),
			For: o.tr.T("office.pupils.left_elsewhere")}
		if m.Grade != 0 {
			row.Class = fmt.Sprintf("%d%s", m.Grade, m.Class)
		}
		if to := m.LeftFor(); to != 0 {
			row.For = h.schoolName(r, o.lang, city, to)
		}
		v.Left = append(v.Left, row)
	}
	return nil
}

// maskedPupil is a personal file's name, kept as "surname name", masked
// as the queues show a child: the name and the surname's initial.
func maskedPupil(full string) string {
	surname, name, ok := strings.Cut(strings.TrimSpace(full), " ")
	if !ok {
		return person.MaskedName(person.Person{Name: surname})
	}
	return person.MaskedName(person.Person{Surname: surname, Name: name})
}
