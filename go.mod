module github.com/cxaudit/cxaudit

go 1.26

require (
	github.com/golang/snappy v0.0.3
	github.com/klauspost/compress v1.13.1
	github.com/syumai/workers v0.32.0
	gonum.org/v1/gonum v0.17.0
)
