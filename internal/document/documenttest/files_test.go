package documenttest_test

import (
	"testing"

	"sakura/internal/document"
	"sakura/internal/document/documenttest"
)

// TestFilesPass: the files tests upload are what the checks accept.
func TestFilesPass(t *testing.T) {
	for _, tc := range []struct {
		kind document.Kind
		data []byte
	}{
		{document.Photo, documenttest.JPEG(300, 400)},
		{document.Medical, documenttest.PNG(600, 800)},
		{document.Medical, documenttest.PDF("Form 065/u")},
	} {
		if _, err := document.Check(tc.kind, tc.data); err != nil {
			t.Errorf("%s: %v", tc.kind, err)
		}
	}
}
