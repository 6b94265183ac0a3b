package web

import (
	"fmt"
	"net/http"

	"sakura/internal/person"
)

// devPeople answers GET /dev/people.json in demo mode: the invented persons
// of the demo registry (IIN, names, role, phone) to try the flows with.
func (h *server) devPeople(w http.ResponseWriter, r *http.Request) error {
	people, err := h.people.People(r.Context())
	if err != nil {
		return fmt.Errorf("demo people: %w", err)
	}
	if people == nil {
		people = []person.Entry{}
	}
	return writeJSON(w, http.StatusOK, people)
}
