package school

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

// Types returns every school type, in the order pages list them.
func Types() []Type {
	return []Type{General, Gymnasium, Lyceum, Specialised, Primary, Basic}
}

// Ownerships returns every ownership form, in the order pages list them.
func Ownerships() []Ownership {
	return []Ownership{Public, Private}
}

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
