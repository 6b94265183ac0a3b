package teacher

// Subject codes of primary-school teachers.
const (
	SubjectPrimary           = "primary" // the class teacher of grades 1–4
	SubjectKazakhLanguage    = "kazakh_language"
	SubjectRussianLanguage   = "russian_language"
	SubjectEnglish           = "english"
	SubjectMathematics       = "mathematics"
	SubjectMusic             = "music"
	SubjectPhysicalEducation = "physical_education"
	SubjectArt               = "art"
)

// Indicator codes of a teacher's teaching quality. Every value but
// olympiad_results is on a 0–100 scale.
const (
	// IndicatorRating is the overall figure, a weighted mean of the lesson
	// observations (40%), pupil progress (35%) and the parent survey (25%)
	// plus up to 5 points for olympiad results. Its observations are the
	// fewest of the three it is built from.
	IndicatorRating = "rating"
	// IndicatorLessonObservation is the mean score of observed lessons;
	// observations are the lessons observed.
	IndicatorLessonObservation = "lesson_observation"
	// IndicatorPupilProgress is the share of pupils reaching the expected
	// level in the summative assessments; observations are the pupils.
	IndicatorPupilProgress = "pupil_progress"
	// IndicatorParentSurvey is the share of parents satisfied; observations
	// are the parents who answered.
	IndicatorParentSurvey = "parent_survey"
	// IndicatorOlympiadResults is the number of prize places the teacher's
	// pupils won in the last three years; observations are the pupils
	// entered.
	IndicatorOlympiadResults = "olympiad_results"
)

// MinObservations is the number of observations a figure needs to be shown:
// a figure built on fewer is too thin to tell parents anything, so pages and
// the API leave its value out and say why.
const MinObservations = 5

// Categories returns every qualification category, lowest first.
func Categories() []Category {
	return []Category{Pedagogue, Moderator, Expert, Researcher, Master}
}

// Subjects returns every subject code, in the order pages list them.
func Subjects() []string {
	return []string{
		SubjectPrimary, SubjectKazakhLanguage, SubjectRussianLanguage, SubjectEnglish,
		SubjectMathematics, SubjectMusic, SubjectPhysicalEducation, SubjectArt,
	}
}

// Indicators returns every indicator code, the rating first.
func Indicators() []string {
	return []string{
		IndicatorRating, IndicatorLessonObservation, IndicatorPupilProgress,
		IndicatorParentSurvey, IndicatorOlympiadResults,
	}
}
