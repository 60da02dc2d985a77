package stagebin

import _ "embed"

//go:embed stage-linux-amd64
var program []byte
