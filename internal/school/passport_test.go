package school_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"sakura/internal/school"
	"sakura/internal/teacher"
)

func TestRatings(t *testing.T) {
	ind := func(code string, v float64, n int) teacher.Indicator {
		return teacher.Indicator{Code: code, Value: v, Observations: n}
	}
	teachers := []teacher.Teacher{
		{Indicators: []teacher.Indicator{ind(teacher.IndicatorRating, 80, 30), ind(teacher.IndicatorParentSurvey, 90, 4)}},
		{Indicators: []teacher.Indicator{ind(teacher.IndicatorRating, 60, 10), ind(teacher.IndicatorParentSurvey, 50, 2)}},
		{Indicators: []teacher.Indicator{ind(teacher.IndicatorRating, 10, teacher.MinObservations-1)}},
	}
	got := school.Ratings(teachers)
	byCode := map[string]school.Figure{}
	for _, f := range got {
		byCode[f.Code] = f
	}

	// The thin third teacher does not pull the rating down.
	want := school.Figure{Code: teacher.IndicatorRating, Value: 70, Teachers: 2, Observations: 40}
	if diff := cmp.Diff(want, byCode[teacher.IndicatorRating]); diff != "" {
		t.Errorf("rating mismatch (-want +got):\n%s", diff)
	}
	if !byCode[teacher.IndicatorRating].Shown() {
		t.Error("the rating on 40 observations is hidden")
	}

	// Two thin survey figures make no figure, however many observations together.
	if f := byCode[teacher.IndicatorParentSurvey]; f.Shown() || f.Teachers != 0 {
		t.Errorf("parent survey %+v is shown", f)
	}
	if len(got) != len(teacher.Indicators()) {
		t.Errorf("%d figures, want one per indicator", len(got))
	}
}
