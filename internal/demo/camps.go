package demo

import (
	"time"

	"sakura/internal/i18n"
	"sakura/internal/social"
)

// Camps are the demo's summer camps of a city for the summer of 2027, each
// with its shifts: one out of town with three shifts for older children,
// and one at a school with two shifts for the younger. The department
// keeps them in the office afterwards.
func Camps(city string) []social.Camp {
	june := func(d int) time.Time { return time.Date(2027, time.June, d, 0, 0, 0, 0, time.UTC) }
	shifts := func(seats, ageMin, ageMax int, starts ...time.Time) []social.Shift {
		var out []social.Shift
		for i, s := range starts {
			out = append(out, social.Shift{Number: i + 1, Starts: s, Ends: s.AddDate(0, 0, 20), Seats: seats,
				AgeMin: ageMin, AgeMax: ageMax})
		}
		return out
	}
	switch city {
	case "almaty":
		return []social.Camp{
			{City: city, Kind: social.OutOfTown, Address: "Іле Алатауы, Медеу шатқалы",
				Name:   i18n.Text{KK: "«Балдәурен» сауықтыру лагері", RU: "Оздоровительный лагерь «Балдаурен»", EN: "Baldauren health camp"},
				Shifts: shifts(120, 7, 15, june(5), june(28), june(28).AddDate(0, 0, 23))},
			{City: city, Kind: social.SchoolBased, Address: "Абай даңғылы, 10",
				Name:   i18n.Text{KK: "«Алатау» мектеп жанындағы лагері", RU: "Пришкольный лагерь «Алатау»", EN: "Alatau school camp"},
				Shifts: shifts(40, 6, 11, june(1), june(22))},
		}
	case "astana":
		return []social.Camp{
			{City: city, Kind: social.OutOfTown, Address: "Бурабай ауданы, Щучинск",
				Name:   i18n.Text{KK: "«Жас қыран» сауықтыру лагері", RU: "Оздоровительный лагерь «Жас кыран»", EN: "Zhas Kyran health camp"},
				Shifts: shifts(100, 7, 15, june(5), june(28))},
			{City: city, Kind: social.SchoolBased, Address: "Қабанбай батыр даңғылы, 5",
				Name:   i18n.Text{KK: "«Есіл» мектеп жанындағы лагері", RU: "Пришкольный лагерь «Есиль»", EN: "Yesil school camp"},
				Shifts: shifts(40, 6, 11, june(1))},
		}
	}
	return nil
}
