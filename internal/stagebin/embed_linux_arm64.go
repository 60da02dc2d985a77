package stagebin

import _ "embed"

//go:embed stage-linux-arm64
var program []byte
