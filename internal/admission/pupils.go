package admission

import "time"

// Pupil is a child whose personal file is at a school now, as the
// school's register lists it.
type Pupil struct {
	FileID     int64
	Name       string // the child's full name
	BirthDate  time.Time
	Grade      int
	Class      string
	SchoolYear int       // the year the school year starts
	Enrolled   time.Time // the file's last enrolment at the school
}

// Leaver is a child whose personal file left a school: the movement of
// leaving, with the grade and class the child had there when the movement
// itself does not say. Movement.LeftFor names the school the child went
// to, when it is one of the city.
type Leaver struct {
	FileID   int64
	Name     string // the child's full name
	Movement Movement
}

// SchoolPupils is a school's register: the pupils it has now and those
// who left it, each newest first.
type SchoolPupils struct {
	Now  []Pupil
	Left []Leaver
}
