package importer

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"sakura/internal/teacher"
)

// Teacher is one teacher of an import and the BIN of their school. A
// teacher is keyed by ID when the file has an id column, else by school,
// surname, name and patronymic.
type Teacher struct {
	Line      int
	SchoolBIN string
	Teacher   teacher.Teacher
}

var teacherRequired = []string{"school_bin", "surname", "name", "category", "subjects", "languages", "experience"}
var teacherOptional = []string{"id", "patronymic", "indicators"}

// ReadTeachers reads a teachers CSV.
func ReadTeachers(name string, data []byte, k Known, fileSchools map[string]bool) ([]Teacher, error) {
	r := &report{file: name}
	t, _ := readCSV(r, data, teacherRequired, teacherOptional)
	if t == nil {
		return nil, r.result()
	}

	var out []Teacher
	keys := map[string]int{}
	for _, rw := range t.rows {
		x := teacher.Teacher{
			City:       k.City,
			Surname:    rw.required("surname"),
			Name:       rw.required("name"),
			Patronymic: rw.get("patronymic"),
			Category:   code(rw, "category", teacher.Categories()),
			Subjects:   rw.list("subjects", teacher.Subjects()),
			Languages:  rw.langs("languages", true),
			Experience: rw.int("experience", 0, 70),
			Indicators: indicators(rw),
		}
		if v := rw.get("id"); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				rw.fail("id %q is not a positive whole number", v)
			}
			x.ID = id
		}
		bin := rw.bin("school_bin")
		if bin != "" && !k.Schools[bin] && !fileSchools[bin] {
			rw.fail("school %s is not a school of %s; import it first", bin, k.City)
		}
		if len(x.Subjects) == 0 && rw.get("subjects") == "" {
			rw.fail("subjects is required")
		}

		key := strings.Join([]string{bin, x.Surname, x.Name, x.Patronymic}, "|")
		if x.ID != 0 {
			key = "#" + strconv.FormatInt(x.ID, 10)
		}
		if prev, dup := keys[key]; dup {
			rw.fail("the same teacher appears again (first on line %d)", prev)
		}
		keys[key] = rw.line
		out = append(out, Teacher{Line: rw.line, SchoolBIN: bin, Teacher: x})
	}
	if err := r.result(); err != nil {
		return nil, err
	}
	return out, nil
}

// indicators reads code=value/observations items separated by |, as in
// rating=78.5/12|parent_survey=91/40.
func indicators(rw row) []teacher.Indicator {
	out := []teacher.Indicator{}
	for item := range strings.SplitSeq(rw.get("indicators"), "|") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		c, rest, ok1 := strings.Cut(item, "=")
		v, n, ok2 := strings.Cut(rest, "/")
		value, err1 := strconv.ParseFloat(v, 64)
		obs, err2 := strconv.Atoi(n)
		switch {
		case !ok1 || !ok2 || err1 != nil || err2 != nil:
			rw.fail("indicators: %q is not code=value/observations", item)
			continue
		case !slices.Contains(teacher.Indicators(), c):
			rw.fail("indicators: unknown code %q; known: %s", c, strings.Join(teacher.Indicators(), ", "))
			continue
		case math.IsNaN(value) || value < 0 || value > 100 || obs < 0:
			rw.fail("indicators: %s value %g is not from 0 to 100 or its observations are negative", c, value)
			continue
		case slices.ContainsFunc(out, func(i teacher.Indicator) bool { return i.Code == c }):
			rw.fail("indicators: %s appears twice", c)
			continue
		}
		out = append(out, teacher.Indicator{Code: c, Value: value, Observations: obs})
	}
	return out
}
