package demo

// The relations of a person.Link.
const (
	RelationMother   = "mother"
	RelationFather   = "father"
	RelationGuardian = "guardian"
)
