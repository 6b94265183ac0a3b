// Package teacher holds the registry of a city's primary-school teachers,
// with their qualification and the teaching-quality indicators behind their
// rating.
package teacher

import "sakura/internal/i18n"

// Category is a teacher's qualification category.
type Category string

// The qualification categories of Kazakhstan's teachers, lowest first.
const (
	Pedagogue  Category = "teacher"    // педагог
	Moderator  Category = "moderator"  // педагог-модератор
	Expert     Category = "expert"     // педагог-эксперт
	Researcher Category = "researcher" // педагог-зерттеуші
	Master     Category = "master"     // педагог-шебер
)

// Indicator is one teaching-quality figure of a teacher, with the number of
// observations it was made from, so that a figure built on too few can be
// left out.
type Indicator struct {
	Code         string  `json:"code"`
	Value        float64 `json:"value"`
	Observations int     `json:"observations"`
}

// Teacher is a primary-school teacher of a school.
type Teacher struct {
	ID         int64       `json:"id"`
	City       string      `json:"city"`
	SchoolID   int64       `json:"school_id"`
	Surname    string      `json:"surname"`
	Name       string      `json:"name"`
	Patronymic string      `json:"patronymic,omitempty"`
	Category   Category    `json:"category"`
	Subjects   []string    `json:"subjects"`
	Languages  []i18n.Lang `json:"languages"`
	Experience int         `json:"experience"` // years of teaching
	Indicators []Indicator `json:"indicators"`
}
