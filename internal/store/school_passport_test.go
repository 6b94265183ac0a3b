package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"sakura/internal/address"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/store"
	"sakura/internal/store/storetest"
)

func TestTerritory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		almaty, astana := testCity("almaty", 0), testCity("astana", 1000)
		// A second building on the catchment's street, to see houses in order.
		almaty.Buildings = append(almaty.Buildings, address.Building{ID: 3, City: "almaty", StreetID: 1,
			District: "bostandyk", Number: "2", Code: "almaty-3", Location: geo.Point{Lat: 43.211, Lon: 76.911},
			Residential: true})
		almaty.Catchments[0].Buildings = append(almaty.Catchments[0].Buildings, 3)
		mustSeed(t, db, almaty, astana)

		want := school.Territory{
			Year: 2026,
			Area: almaty.Catchments[0].Area,
			Streets: []school.Street{{
				Name:   i18n.Text{KK: "Нұркент шағын ауданы", RU: "мкр. Нуркент", EN: "Nurkent Microdistrict"},
				Houses: []string{"2", "12А"},
			}},
		}
		tests := []struct {
			name   string
			city   string
			school int64
			year   int
			want   school.Territory
		}{
			{"this year", "almaty", 1, 2026, want},
			{"a later year falls back to the latest", "almaty", 1, 2030, want},
			{"no catchment before it", "almaty", 1, 2025, school.Territory{}},
			{"another city's school", "almaty", 1001, 2026, school.Territory{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.Territory(ctx, tt.city, tt.school, tt.year)
				if err != nil {
					t.Fatal(err)
				}
				opts := cmp.Options{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(school.Street{}, "Street")}
				if diff := cmp.Diff(tt.want, got, opts); diff != "" {
					t.Errorf("Territory mismatch (-want +got):\n%s", diff)
				}
			})
		}
	})
}

func TestSchoolTeachers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		almaty, astana := testCity("almaty", 0), testCity("astana", 1000)
		mustSeed(t, db, almaty, astana)

		got, err := db.SchoolTeachers(ctx, "almaty", 1)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(almaty.Teachers, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("SchoolTeachers mismatch (-want +got):\n%s", diff)
		}

		// Another city's school has none here.
		got, err = db.SchoolTeachers(ctx, "almaty", 1001)
		if err != nil || len(got) != 0 {
			t.Errorf("SchoolTeachers of another city's school = %v, %v; want none", got, err)
		}

		plans, err := db.SeatPlans(ctx, "almaty", 2027)
		if err != nil || len(plans) != 1 || plans[1] != (school.Plan{Grade1Classes: 6, Grade10Classes: 2}) {
			t.Errorf("SeatPlans = %v, %v; want the school's own classes and nothing taken", plans, err)
		}
	})
}
