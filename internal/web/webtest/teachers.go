package webtest

import (
	"fmt"

	"sakura/internal/dataset"
	"sakura/internal/geo"
	"sakura/internal/i18n"
	"sakura/internal/school"
	"sakura/internal/teacher"
)

// TeacherCities returns Cities with two schools and six primary teachers in
// Almaty and one school with one teacher in Astana, for the teacher
// registry's tests. Almaty's teachers, by rating: Ахметова (92.5, school
// 12), Серікбаев (81, school 12), Иванова (74, school 35), Әбілова (rating
// on 3 observations, so not shown), Жұмабек (no indicators), Петров (66,
// school 35). Their ids are 101–106; the Astana teacher's is 1000101.
func TeacherCities() []dataset.City {
	cities := Cities()
	almaty, astana := &cities[0], &cities[1]

	almaty.Schools = []school.School{
		testSchool("almaty", 11, 12, "bostandyk", []i18n.Lang{i18n.KK, i18n.RU}),
		testSchool("almaty", 12, 35, "medeu", []i18n.Lang{i18n.RU}),
	}
	astana.Schools = []school.School{testSchool("astana", 1000011, 7, "yesil", []i18n.Lang{i18n.KK})}

	figures := func(rating float64, obs int) []teacher.Indicator {
		return []teacher.Indicator{
			{Code: teacher.IndicatorRating, Value: rating, Observations: obs},
			{Code: teacher.IndicatorLessonObservation, Value: rating - 2, Observations: obs},
			{Code: teacher.IndicatorPupilProgress, Value: rating + 1, Observations: 24},
			{Code: teacher.IndicatorParentSurvey, Value: 88, Observations: obs + 10},
			{Code: teacher.IndicatorOlympiadResults, Value: 2, Observations: 3},
		}
	}
	t := func(id, schoolID int64, surname, name, patronymic string, cat teacher.Category,
		langs []i18n.Lang, exp int, ind []teacher.Indicator) teacher.Teacher {
		return teacher.Teacher{ID: id, SchoolID: schoolID, Surname: surname, Name: name,
			Patronymic: patronymic, Category: cat, Subjects: []string{teacher.SubjectPrimary},
			Languages: langs, Experience: exp, Indicators: ind}
	}
	kk, ru := []i18n.Lang{i18n.KK}, []i18n.Lang{i18n.RU}
	almaty.Teachers = []teacher.Teacher{
		t(101, 11, "Ахметова", "Гүлнар", "Серікқызы", teacher.Expert, kk, 17, figures(92.5, 40)),
		t(102, 11, "Серікбаев", "Ерлан", "Болатұлы", teacher.Moderator, []i18n.Lang{i18n.KK, i18n.RU}, 8, figures(81, 12)),
		t(103, 12, "Иванова", "Елена", "Петровна", teacher.Master, ru, 31, figures(74, 30)),
		t(104, 11, "Әбілова", "Дана", "", teacher.Pedagogue, kk, 1, figures(95, 3)),
		t(105, 12, "Жұмабек", "Арман", "", teacher.Pedagogue, ru, 0, nil),
		t(106, 12, "Петров", "Олег", "Иванович", teacher.Researcher, ru, 22, figures(66, 20)),
	}
	astana.Teachers = []teacher.Teacher{
		t(1000101, 1000011, "Сапарова", "Мадина", "Қайратқызы", teacher.Expert, kk, 12, figures(85, 25)),
	}
	return cities
}

func testSchool(slug string, id int64, number int, district string, langs []i18n.Lang) school.School {
	return school.School{
		ID: id, City: slug, BIN: fmt.Sprintf("%012d", id), Number: number,
		Name: i18n.Text{KK: fmt.Sprintf("№ %d мектеп-гимназиясы", number),
			RU: fmt.Sprintf("Школа-гимназия № %d", number), EN: fmt.Sprintf("School-gymnasium No. %d", number)},
		Type: school.Gymnasium, Ownership: school.Public, Languages: langs, District: district,
		Address:  i18n.Text{KK: "Абай даңғылы, 150", RU: "пр. Абая, 150", EN: "Abay Avenue, 150"},
		Location: geo.Point{Lat: 43.22 + float64(number)/1000, Lon: 76.92}, Phone: "+77272000000",
		Email: "school@example.kz", Director: "Сейітова Айгүл", Shifts: 1, StartTimes: []string{"08:00"},
		Capacity: 1200, Pupils: 1100, Grade1Classes: 4, Grade10Classes: 2,
	}
}
