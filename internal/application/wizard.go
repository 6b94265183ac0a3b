package application

import "slices"

// The steps of the wizards, shared between kinds (DESIGN.md's table). A
// kind is a list of them; the web layer gives each its form.
const (
	StepConsents  = "consents"  // the four mandatory consents
	StepIdentity  = "identity"  // the main phone by SMS code and the parent's IIN
	StepContacts  = "contacts"  // an extra phone and an e-mail, both optional
	StepChild     = "child"     // the child's IIN, checked, or no IIN / born abroad
	StepDocuments = "documents" // the photo and the medical documents
	StepInforming = "informing" // the child's earlier applications
	StepAddress   = "address"   // the address of residence and the language of instruction
	StepSchool    = "school"    // one school of those open to the child
	StepNotify    = "notify"    // the channel and the language of messages
	StepCheck     = "check"     // check the answers, then submit

	// The steps only some kinds need.
	StepCurrent     = "current"     // the school the child attends and the grade (and transport's year)
	StepGrounds     = "grounds"     // the grounds of a transfer
	StepProfile     = "profile"     // grade 10 or 11, and the profile
	StepCertificate = "certificate" // the certificate of basic secondary education
	StepCategory    = "category"    // the category of help and the document proving it
	StepCamp        = "camp"        // a camp and one of its shifts
	StepPickup      = "pickup"      // where school transport picks the child up
)

// Wizard is a kind of application as the ordered list of its steps; the
// check step closes every wizard.
type Wizard struct {
	Kind  Kind
	Steps []string
}

// Wizards are the kinds that have a wizard, by kind.
var Wizards = map[Kind]Wizard{
	Grade1: {Kind: Grade1, Steps: []string{StepConsents, StepIdentity, StepContacts, StepChild, StepDocuments,
		StepInforming, StepAddress, StepSchool, StepNotify}},
	Transfer: {Kind: Transfer, Steps: []string{StepConsents, StepIdentity, StepContacts, StepChild, StepDocuments,
		StepInforming, StepCurrent, StepAddress, StepSchool, StepGrounds, StepNotify}},
	Grade10: {Kind: Grade10, Steps: []string{StepConsents, StepIdentity, StepContacts, StepChild, StepDocuments,
		StepInforming, StepAddress, StepProfile, StepCertificate, StepSchool, StepNotify}},
	Meals: {Kind: Meals, Steps: []string{StepConsents, StepIdentity, StepContacts, StepChild, StepInforming,
		StepCurrent, StepCategory, StepNotify}},
	Camp: {Kind: Camp, Steps: []string{StepConsents, StepIdentity, StepContacts, StepChild, StepInforming,
		StepCamp, StepCategory, StepNotify}},
	Transport: {Kind: Transport, Steps: []string{StepConsents, StepIdentity, StepContacts, StepChild, StepInforming,
		StepCurrent, StepPickup, StepNotify}},
}

// dependents are the steps whose answers follow from a step's: when the
// step is answered again, they must be answered again too.
var dependents = map[string][]string{
	StepIdentity: {StepChild, StepInforming, StepNotify},
	StepContacts: {StepNotify},
	StepChild:    {StepDocuments, StepInforming, StepSchool, StepCurrent, StepCamp, StepProfile},
	StepCurrent:  {StepSchool, StepPickup},
	StepAddress:  {StepSchool},
	StepProfile:  {StepCertificate, StepSchool},
}

// Has reports whether step is a step of the wizard, the check step
// included.
func (w Wizard) Has(step string) bool {
	return step == StepCheck || slices.Contains(w.Steps, step)
}

// Next returns the first step the draft has not done, or the check step.
func (w Wizard) Next(d *Draft) string {
	for _, s := range w.Steps {
		if !d.IsDone(s) {
			return s
		}
	}
	return StepCheck
}

// CanOpen reports whether the draft may show step: every step before it is
// done, so that no step is skipped by editing the address.
func (w Wizard) CanOpen(d *Draft, step string) bool {
	if !w.Has(step) {
		return false
	}
	for _, s := range w.Steps {
		if s == step {
			return true
		}
		if !d.IsDone(s) {
			return false
		}
	}
	return true // the check step, every step done
}

// Prev returns the step before step, or "" for the first.
func (w Wizard) Prev(step string) string {
	if step == StepCheck {
		return w.Steps[len(w.Steps)-1]
	}
	i := slices.Index(w.Steps, step)
	if i <= 0 {
		return ""
	}
	return w.Steps[i-1]
}

// Position returns step's place in the wizard, from 1, and the number of
// steps, the check step included.
func (w Wizard) Position(step string) (n, total int) {
	total = len(w.Steps) + 1
	if step == StepCheck {
		return total, total
	}
	return slices.Index(w.Steps, step) + 1, total
}

// IsDone reports whether the draft has done step.
func (d *Draft) IsDone(step string) bool { return slices.Contains(d.Done, step) }

// Complete records step as done and undoes the steps that depend on its
// answers, so that the parent answers them again.
func (d *Draft) Complete(step string) {
	for _, dep := range dependents[step] {
		d.Done = slices.DeleteFunc(d.Done, func(s string) bool { return s == dep })
	}
	if !d.IsDone(step) {
		d.Done = append(d.Done, step)
	}
}

// Consents are the four consents every application asks for, by the name
// of their checkbox.
var Consents = []string{"personal_data", "registry_check", "true_data", "notifications"}
