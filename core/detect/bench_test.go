package detect

import "testing"

// BenchmarkDetect measures detection on the 2000-row survey sample the
// engine hands over (engine.SampleRows): detection runs once per file.
func BenchmarkDetect(b *testing.B) {
	data, err := readTestdata("survey_main.csv")
	if err != nil {
		b.Fatal(err)
	}
	s := readSample(b, data, ',', 0, "")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Detect(s); err != nil {
			b.Fatal(err)
		}
	}
}
