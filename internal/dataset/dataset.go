// Package dataset is the reference data of one city as an import writes it
// in one go: the city and its districts, the address register, schools,
// catchments, teachers and the local person registry. The demo generator
// makes one; the store writes one.
package dataset

import (
	"sakura/internal/address"
	"sakura/internal/catchment"
	"sakura/internal/city"
	"sakura/internal/person"
	"sakura/internal/school"
	"sakura/internal/teacher"
)

// City is everything the portal holds about one city. Ids are set by the
// maker and unique across all cities, so that several cities can be written
// into one database.
type City struct {
	City       city.City
	Streets    []address.Street
	Buildings  []address.Building
	Schools    []school.School
	Teachers   []teacher.Teacher
	Catchments []catchment.Catchment
	People     []person.Person
	Links      []person.Link
}
