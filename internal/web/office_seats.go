package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"

	"sakura/internal/admission"
	"sakura/internal/campaign"
	"sakura/internal/staff"
)

// seatsView is the data of the seats page: one school's seats for school
// staff, every school of the city for an operator, the overfull first.
type seatsView struct {
	Nav       officeNav
	Year      string
	ClassSize int
	Ratio     int
	Rows      []seatRow
	Overfull  int // schools past their plan
	Operator  bool
}

// seatRow is one school's grade-1 seats.
type seatRow struct {
	School    string
	Planned   int
	Catchment int
	Quota     int
	Taken     int
	Free      int
	Overflow  int
	QuotaOpen int
}

// officeSeats shows the grade-1 seats of the campaign year in force:
// planned (classes × class size), taken (referrals in force or used) and
// free are always counted, never typed. The department sees every school,
// the overfull flagged first.
func (h *server) officeSeats(w http.ResponseWriter, r *http.Request, o *office) error {
	year := campaign.YearAt(h.now())
	camp, err := h.campaigns.Campaign(r.Context(), o.user.City, year)
	if err != nil {
		return fmt.Errorf("office seats: %w", err)
	}
	var list []admission.Seats
	if o.user.Role == staff.RoleSchool {
		s, err := h.office.SchoolSeats(r.Context(), o.user.SchoolID, year, 1)
		if err != nil {
			return fmt.Errorf("office seats: %w", err)
		}
		list = []admission.Seats{s}
	} else if list, err = h.office.CitySeats(r.Context(), o.user.City, year, 1); err != nil {
		return fmt.Errorf("office seats: %w", err)
	}

	v := seatsView{Nav: h.officeNav(r, o, "seats"), Year: fmt.Sprintf("%d–%d", year, year+1),
		ClassSize: camp.ClassSize, Ratio: camp.QuotaRatio, Operator: o.user.Role == staff.RoleOperator}
	for _, s := range list {
		s.ClassSize = camp.ClassSize
		row := seatRow{School: h.schoolName(r, o.lang, o.user.City, s.SchoolID), Planned: s.Planned(),
			Catchment: s.Catchment, Quota: s.Quota, Taken: s.Taken(), Free: s.Free(), Overflow: s.Overflow(),
			QuotaOpen: s.QuotaOpen(camp.QuotaRatio)}
		if row.Overflow > 0 {
			v.Overfull++
		}
		v.Rows = append(v.Rows, row)
	}
	slices.SortStableFunc(v.Rows, func(a, b seatRow) int {
		return cmp.Or(cmp.Compare(b.Overflow, a.Overflow), cmp.Compare(b.Taken, a.Taken))
	})
	return h.officePage(w, r, o.lang, http.StatusOK, "office_seats", o.tr.T("office.seats.title"), v)
}
