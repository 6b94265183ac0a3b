package web

import (
	"fmt"
	"net/http"

	"sakura/internal/city"
)

// apiCities answers GET /api/v1/cities: every city with its districts.
func (h *server) apiCities(w http.ResponseWriter, r *http.Request) error {
	cities, err := h.cities.Cities(r.Context())
	if err != nil {
		return fmt.Errorf("api cities: %w", err)
	}

	// Empty lists are [] in JSON, never null.
	if cities == nil {
		cities = []city.City{}
	}
	for i := range cities {
		if cities[i].Districts == nil {
			cities[i].Districts = []city.District{}
		}
	}

	openData(w)
	return writeJSON(w, http.StatusOK, cities)
}
