package demo

// Profile codes: the streams of grades 10–11.
const (
	ProfileNaturalMath      = "natural_math"
	ProfileSocialHumanities = "social_humanities"
	ProfileEngineering      = "engineering"
	ProfileICT              = "ict"
	ProfileAgriculture      = "agriculture"
	ProfileTransport        = "transport"
	ProfileServices         = "services"
	ProfileArts             = "arts"
	ProfileMedicine         = "medicine"
)

// Facility codes: what a school building has.
const (
	FacilityGym          = "gym"
	FacilityPool         = "pool"
	FacilityLibrary      = "library"
	FacilityCanteen      = "canteen"
	FacilityComputerLab  = "computer_lab"
	FacilityStadium      = "stadium"
	FacilityAssemblyHall = "assembly_hall"
	FacilityMedicalRoom  = "medical_room"
	FacilityRobotics     = "robotics"
)

// Accessibility codes: what a school offers pupils and parents with
// disabilities.
const (
	AccessRamp          = "ramp"
	AccessLift          = "lift"
	AccessToilet        = "accessible_toilet"
	AccessTactilePaving = "tactile_paving"
	AccessSignLanguage  = "sign_language"
)

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

// FewObservations is the number of observations below which the demo
// makes a figure thin on purpose: new teachers get fewer, so that pages
// hiding such figures have something to hide.
const FewObservations = 5

// The relations of a person.Link.
const (
	RelationMother   = "mother"
	RelationFather   = "father"
	RelationGuardian = "guardian"
)

// Profiles returns every profile code, in the order pages list them.
func Profiles() []string {
	return []string{
		ProfileNaturalMath, ProfileSocialHumanities, ProfileEngineering, ProfileICT,
		ProfileAgriculture, ProfileTransport, ProfileServices, ProfileArts, ProfileMedicine,
	}
}

// Facilities returns every facility code, in the order pages list them.
func Facilities() []string {
	return []string{
		FacilityLibrary, FacilityCanteen, FacilityGym, FacilityMedicalRoom,
		FacilityComputerLab, FacilityAssemblyHall, FacilityStadium, FacilityRobotics, FacilityPool,
	}
}

// Accessibility returns every accessibility code, in the order pages list
// them.
func Accessibility() []string {
	return []string{AccessRamp, AccessToilet, AccessLift, AccessTactilePaving, AccessSignLanguage}
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
