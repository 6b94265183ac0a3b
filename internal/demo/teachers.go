package demo

import (
	"math"
	"math/rand/v2"
	"slices"

	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/teacher"
)

// teachers makes the primary-school teachers of every school with primary
// grades (all but the specialised ones, which start at grade 7): a class
// teacher for most classes of grades 1–4, and the specialists who teach
// them English, physical education, music, art and the second language.
func (g *gen) teachers(schools []school.School) []teacher.Teacher {
	r := g.rand("teachers")
	var out []teacher.Teacher
	for _, s := range schools {
		if s.Grade1Classes == 0 {
			continue
		}
		n := clamp(s.Grade1Classes*2+2+r.IntN(4), 6, 20)
		for _, subjects := range teacherSubjects(r, n, s.Languages) {
			t := g.teacher(r, s, subjects)
			t.ID = g.id(len(out) + 1)
			out = append(out, t)
		}
	}
	return out
}

// teacherSubjects returns the subjects of each of a school's n primary teachers:
// specialists first, as many as the school is big enough for, then the
// class teachers.
func teacherSubjects(r *rand.Rand, n int, langs []i18n.Lang) [][]string {
	var out [][]string
	add := func(min int, subjects ...string) {
		if n-len(out) > 4 && n >= min {
			out = append(out, subjects)
		}
	}
	add(6, teacher.SubjectEnglish)
	add(8, teacher.SubjectPhysicalEducation)
	if chance(r, 0.4) {
		add(10, teacher.SubjectMusic, teacher.SubjectArt)
	} else {
		add(10, teacher.SubjectMusic)
		add(14, teacher.SubjectArt)
	}
	if slices.Contains(langs, i18n.RU) {
		add(9, teacher.SubjectKazakhLanguage)
	}
	if slices.Contains(langs, i18n.KK) {
		add(12, teacher.SubjectRussianLanguage)
	}
	for len(out) < n {
		if chance(r, 0.1) {
			out = append(out, []string{teacher.SubjectPrimary, teacher.SubjectMathematics})
		} else {
			out = append(out, []string{teacher.SubjectPrimary})
		}
	}
	return out
}

// teacher makes one teacher of a school.
func (g *gen) teacher(r *rand.Rand, s school.School, subjects []string) teacher.Teacher {
	// The language the teacher teaches in: the class's for a class teacher,
	// the subject's own for a language teacher.
	lang := s.Languages[0]
	if len(s.Languages) > 1 && chance(r, 1-g.def.kkOnly) {
		lang = s.Languages[1]
	}
	langs := []i18n.Lang{lang}
	switch subjects[0] {
	case teacher.SubjectEnglish:
		langs = []i18n.Lang{i18n.EN, lang}
	case teacher.SubjectKazakhLanguage:
		langs = []i18n.Lang{i18n.KK}
	case teacher.SubjectRussianLanguage:
		langs = []i18n.Lang{i18n.RU}
	}

	// Names: Kazakh in Kazakh classes and for the Kazakh language, Kazakh
	// or Russian in Russian ones.
	named := lang
	if subjects[0] == teacher.SubjectKazakhLanguage {
		named = i18n.KK
	}
	st := kazakhKK
	switch x := r.Float64(); {
	case named == i18n.KK && x >= 0.75, named == i18n.RU && x < 0.5:
		st = kazakhRU
	case named == i18n.RU:
		st = russian
	}
	male := chance(r, 0.06)
	if subjects[0] == teacher.SubjectPhysicalEducation {
		male = chance(r, 0.5)
	}

	// Experience: one in six is new to the job.
	exp := between(r, 3, 40)
	if chance(r, 1.0/6) {
		exp = r.IntN(3)
	}
	cat := category(r, exp)

	t := teacher.Teacher{
		City:       g.def.slug,
		SchoolID:   s.ID,
		Surname:    surnameFor(st.surname(r), male),
		Patronymic: st.man(r).patronymic(male),
		Category:   cat,
		Subjects:   subjects,
		Languages:  langs,
		Experience: exp,
		Indicators: indicators(r, exp, cat),
	}
	if male {
		t.Name = st.man(r).name
	} else {
		t.Name = st.woman(r)
	}
	return t
}

// category draws a teacher's qualification category, which takes years.
func category(r *rand.Rand, exp int) teacher.Category {
	x := r.Float64()
	switch {
	case exp < 2:
		return teacher.Pedagogue
	case exp < 5:
		return pick(r, []teacher.Category{teacher.Pedagogue, teacher.Moderator})
	case exp < 10:
		return pick(r, []teacher.Category{teacher.Moderator, teacher.Moderator, teacher.Expert})
	case exp < 20:
		return pick(r, []teacher.Category{
			teacher.Moderator, teacher.Expert, teacher.Expert, teacher.Researcher,
		})
	case x < 0.1:
		return teacher.Master
	default:
		return pick(r, []teacher.Category{teacher.Expert, teacher.Researcher, teacher.Researcher})
	}
}

// indicators draws a teacher's teaching-quality figures around a skill
// that grows with the category. New teachers have few observations.
func indicators(r *rand.Rand, exp int, cat teacher.Category) []teacher.Indicator {
	skill := 68 + r.NormFloat64()*8 + map[teacher.Category]float64{
		teacher.Pedagogue: 0, teacher.Moderator: 3, teacher.Expert: 6,
		teacher.Researcher: 8, teacher.Master: 11,
	}[cat]

	lessons, pupils := between(r, 4, 30), between(r, 20, 120)
	parents, entered := between(r, 5, 80), between(r, 0, 30)
	if exp <= 1 {
		lessons, pupils = r.IntN(teacher.MinObservations), r.IntN(26)
		parents, entered = r.IntN(teacher.MinObservations+2), r.IntN(3)
	}
	lesson := bounded(skill+r.NormFloat64()*5, 30, 100)
	progress := bounded(skill-5+r.NormFloat64()*8, 20, 100)
	survey := bounded(skill+8+r.NormFloat64()*7, 30, 100)
	prizes := 0
	if entered > 0 {
		prizes = r.IntN(entered/3 + 1)
	}
	rating := bounded(0.4*lesson+0.35*progress+0.25*survey+math.Min(5, float64(prizes)), 0, 100)

	return []teacher.Indicator{
		{Code: teacher.IndicatorRating, Value: rating, Observations: min(lessons, pupils, parents)},
		{Code: teacher.IndicatorLessonObservation, Value: lesson, Observations: lessons},
		{Code: teacher.IndicatorPupilProgress, Value: progress, Observations: pupils},
		{Code: teacher.IndicatorParentSurvey, Value: survey, Observations: parents},
		{Code: teacher.IndicatorOlympiadResults, Value: float64(prizes), Observations: entered},
	}
}

// bounded returns v limited to [lo, hi] and rounded to one decimal.
func bounded(v, lo, hi float64) float64 {
	return math.Round(math.Min(hi, math.Max(lo, v))*10) / 10
}
