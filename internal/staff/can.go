package staff

import "slices"

// Permission is a kind of work in the back office.
type Permission string

// The permissions, each granted to some roles.
const (
	// Decide: see applications, their documents and decide on them.
	Decide Permission = "decide"
	// KeepSchool: a school's passport, seats plan and photos.
	KeepSchool Permission = "school"
	// KeepCampaign: the campaign settings of a city and year.
	KeepCampaign Permission = "campaign"
	// KeepCatchments: the catchments of a city's schools.
	KeepCatchments Permission = "catchments"
	// ReadAudit: the audit log.
	ReadAudit Permission = "audit"
	// ReadReports: the department's reports and the seats of every school.
	ReadReports Permission = "reports"
	// KeepUsers: staff accounts.
	KeepUsers Permission = "users"
)

// grants are the permissions of each role.
var grants = map[Role][]Permission{
	RoleSchool:   {Decide, KeepSchool},
	RoleOperator: {Decide, KeepSchool, KeepCampaign, KeepCatchments, ReadAudit, ReadReports},
	RoleAdmin:    {KeepCampaign, ReadAudit, KeepUsers},
}

// Can reports whether the user's role grants p. A disabled user can do
// nothing.
func (u User) Can(p Permission) bool {
	return !u.Disabled && slices.Contains(grants[u.Role], p)
}

// Reaches reports whether a school of a city lies in the user's scope:
// school staff reach their own school, operators every school of their
// city, administrators every city. schoolID zero asks about the city alone,
// which school staff never reach. Reaches says nothing of the permission;
// ask Can too.
func (u User) Reaches(city string, schoolID int64) bool {
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleOperator:
		return u.City == city
	case RoleSchool:
		return u.City == city && schoolID != 0 && u.SchoolID == schoolID
	}
	return false
}

// May reports whether the user may do p for a school of a city: both Can
// and Reaches.
func (u User) May(p Permission, city string, schoolID int64) bool {
	return u.Can(p) && u.Reaches(city, schoolID)
}
