package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sakura/internal/errs"
	"sakura/internal/i18n"
	"sakura/internal/teacher"
)

// teacherFigureRow is one teaching-quality indicator of the card: its
// name, its value when it rests on enough observations, how it is made and
// from how many observations.
type teacherFigureRow struct {
	Code         string
	NameKey      string // catalogue key of the indicator's name
	HowKey       string // catalogue key of the sentence saying how it is made
	Value        string // empty when not shown
	Observations int
	Shown        bool
}

// teacherCardPage is what the card's template shows.
type teacherCardPage struct {
	Row     teacherListRow
	Figures []teacherFigureRow
	Rating  *teacherFigureRow // the overall rating; nil when the teacher has none
	MinObs  int
	Back    string // the registry
}

// teacherCard answers GET /{lang}/{city}/teachers/{id}: a teacher's card
// with the rating and every teaching-quality indicator. A teacher of
// another city, or an id that is not a number, is not found.
func (h *server) teacherCard(w http.ResponseWriter, r *http.Request) error {
	lang, c, err := h.place(w, r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return &errs.Error{Kind: errs.NotFound, Key: "teachers.error.not_found",
			Err: fmt.Errorf("teacher id %q", r.PathValue("id"))}
	}
	e, err := h.teachers.Teacher(r.Context(), c.Slug, id)
	if errs.KindOf(err) == errs.NotFound {
		return &errs.Error{Kind: errs.NotFound, Key: "teachers.error.not_found", Err: err}
	}
	if err != nil {
		return fmt.Errorf("teacher card: %w", err)
	}

	tr := h.catalog.Translator(lang)
	base := "/" + string(lang) + "/" + c.Slug
	d := &teacherCardPage{
		Row:     h.teacherRow(tr, base, e),
		Figures: teacherFigures(lang, e.Teacher),
		MinObs:  teacher.MinObservations,
		Back:    base + "/teachers",
	}
	for i := range d.Figures {
		if d.Figures[i].Code == teacher.IndicatorRating {
			d.Rating = &d.Figures[i]
		}
	}

	p := h.newPage(r, lang, e.FullName(), &c)
	p.Data = d
	return h.render(w, http.StatusOK, "teacher", p)
}

// teacherFigures returns the teacher's indicators in the registry's order
// (the rating first), with the values that rest on too few observations
// left out.
func teacherFigures(lang i18n.Lang, t teacher.Teacher) []teacherFigureRow {
	var out []teacherFigureRow
	for _, code := range teacher.Indicators() {
		ind, ok := t.Indicator(code)
		if !ok {
			continue
		}
		key := "teacher.indicator." + code
		f := teacherFigureRow{Code: code, NameKey: key + ".name", HowKey: key + ".how",
			Observations: ind.Observations, Shown: ind.Shown()}
		if f.Shown {
			f.Value = teacherFigure(lang, code, ind.Value)
		}
		out = append(out, f)
	}
	return out
}

// Unit is the catalogue key of the figure's unit: points of 100, or prizes.
func (f teacherFigureRow) Unit() string {
	if f.Code == teacher.IndicatorOlympiadResults {
		return "teacher.unit.prizes"
	}
	return "teacher.unit.points"
}

// ID is the figure's anchor on the card.
func (f teacherFigureRow) ID() string { return "figure-" + strings.ReplaceAll(f.Code, "_", "-") }
