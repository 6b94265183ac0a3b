package application_test

import (
	"slices"
	"testing"

	"sakura/internal/application"
)

// TestWizardOrder: steps open only in order, the check step only at the
// end, and answering a step again undoes what depends on it.
func TestWizardOrder(t *testing.T) {
	w := application.Wizards[application.Grade1]
	d := &application.Draft{}
	if w.Next(d) != application.StepConsents || !w.CanOpen(d, application.StepConsents) {
		t.Fatal("a new draft does not start with the consents")
	}
	if w.CanOpen(d, application.StepSchool) || w.CanOpen(d, application.StepCheck) || w.CanOpen(d, "nonsense") {
		t.Error("a later step opens on a new draft")
	}
	for _, s := range w.Steps {
		if w.Next(d) != s {
			t.Fatalf("next %q, want %q", w.Next(d), s)
		}
		d.Complete(s)
	}
	if w.Next(d) != application.StepCheck || !w.CanOpen(d, application.StepCheck) {
		t.Fatal("a complete draft does not reach the check step")
	}
	if n, total := w.Position(application.StepCheck); n != total || total != len(w.Steps)+1 {
		t.Errorf("check at %d of %d", n, total)
	}

	// A new address: the school must be chosen again.
	d.Complete(application.StepAddress)
	if d.IsDone(application.StepSchool) || w.Next(d) != application.StepSchool {
		t.Errorf("after a new address the next step is %q, done %v", w.Next(d), d.Done)
	}
	// Another child: documents, informing and school again.
	d.Complete(application.StepSchool)
	d.Complete(application.StepChild)
	for _, s := range []string{application.StepDocuments, application.StepInforming, application.StepSchool} {
		if slices.Contains(d.Done, s) {
			t.Errorf("%s still done after the child changed", s)
		}
	}
	if w.Prev(application.StepConsents) != "" || w.Prev(application.StepIdentity) != application.StepConsents ||
		w.Prev(application.StepCheck) != application.StepNotify {
		t.Error("Prev")
	}
}

func TestNumber(t *testing.T) {
	if got := application.MakeNumber("ala", application.Grade1, 2027, 42); got != "ALA-G1-2027-00042" {
		t.Errorf("MakeNumber = %s", got)
	}
}
