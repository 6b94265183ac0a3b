package web

import (
	"fmt"
	"net/http"
	"strings"
)

// demoPerson is a person of the demo registry as /dev/people.json shows
// it: enough to try every flow with.
type demoPerson struct {
	IIN        string `json:"iin"`
	Name       string `json:"name"` // surname, given name and patronymic
	Surname    string `json:"surname"`
	GivenName  string `json:"given_name"`
	Patronymic string `json:"patronymic,omitempty"`
	Role       string `json:"role"`
	Phone      string `json:"phone,omitempty"`
	City       string `json:"city"`
	BirthDate  string `json:"birth_date"`
}

// devPeople answers GET /dev/people.json in demo mode: the invented persons
// of the demo registry (IIN, name, role, phone), parents first.
func (h *server) devPeople(w http.ResponseWriter, r *http.Request) error {
	people, err := h.people.People(r.Context())
	if err != nil {
		return fmt.Errorf("demo people: %w", err)
	}

	out := make([]demoPerson, 0, len(people))
	for _, p := range people {
		out = append(out, demoPerson{
			IIN:        p.IIN,
			Name:       strings.Join(strings.Fields(p.Surname+" "+p.Name+" "+p.Patronymic), " "),
			Surname:    p.Surname,
			GivenName:  p.Name,
			Patronymic: p.Patronymic,
			Role:       string(p.Role),
			Phone:      p.Phone,
			City:       p.City,
			BirthDate:  p.BirthDate.Format("2006-01-02"),
		})
	}
	return writeJSON(w, http.StatusOK, out)
}
