// Command check validates the OpenAPI 3.0 rendition of the SpacetimeDB HTTP API with kin-openapi, a
// consumer outside TypeScript: it loads and validates the document, then checks every example of
// every operation (parameters, request bodies, responses) and every schema example with
// openapi3filter, and, given -exchanges, the test servers' canned answers as real responses to
// real routes. Each failure names its place; the last line counts what was checked.
//
// It builds in GOPATH mode on Debian's packages (no module download):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o check ./checks/go
//	./check [-exchanges exchanges.json] dist/spacetimedb-v1.openapi-3.0.json
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// report collects what was checked, by kind, and every failure with its place.
type report struct {
	counts   map[string]int
	failures []string
}

func (r *report) pass(kind string) { r.counts[kind]++ }

func (r *report) fail(kind, place string, err error) {
	r.counts[kind]++
	r.failures = append(r.failures, fmt.Sprintf("FAIL %s %s: %s", kind, place, brief(err)))
}

// brief keeps the first line of kin-openapi's error (the rest dumps the whole schema and value).
func brief(err error) string {
	text := strings.SplitN(err.Error(), "\n", 2)[0]
	if len(text) > 400 {
		text = text[:400] + "…"
	}
	return text
}

func main() {
	exchanges := flag.String("exchanges", "", "a JSON file of captured exchanges (method, path, request, status, response) to validate as real requests and responses")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: check [-exchanges exchanges.json] openapi-3.0.json")
		os.Exit(2)
	}
	// The SATS type schemas are recursive (AlgebraicType → SumType → … → AlgebraicType): the
	// default of 3 stops the loader.
	openapi3.CircularReferenceCounter = 32
	ctx := context.Background()
	doc, err := openapi3.NewLoader().LoadFromFile(flag.Arg(0))
	if err != nil {
		fatal("load %s: %v", flag.Arg(0), err)
	}
	// Examples are checked one by one below, each failure with its place.
	if err := doc.Validate(ctx, openapi3.DisableExamplesValidation()); err != nil {
		fatal("the document is not valid OpenAPI 3.0: %v", err)
	}
	registerDecoders(doc)

	r := &report{counts: map[string]int{}}
	checkExamples(ctx, doc, r)
	if *exchanges != "" {
		if err := checkExchanges(ctx, doc, *exchanges, r); err != nil {
			fatal("%v", err)
		}
	}
	for _, line := range r.failures {
		fmt.Println(line)
	}
	fmt.Println(summary(r))
	if len(r.failures) > 0 {
		os.Exit(1)
	}
}

func summary(r *report) string {
	kinds := make([]string, 0, len(r.counts))
	examples := 0
	for kind, n := range r.counts {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, kind))
		if kind != kindExchange {
			examples += n
		}
	}
	sort.Strings(kinds)
	return fmt.Sprintf("kin-openapi: the document is valid OpenAPI 3.0; %d examples and %d canned answers checked (%s); %d failed",
		examples, r.counts[kindExchange], strings.Join(kinds, ", "), len(r.failures))
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL "+format+"\n", args...)
	os.Exit(1)
}

// pointer appends JSON pointer tokens, escaped, to a pointer.
func pointer(base string, tokens ...string) string {
	for _, t := range tokens {
		base += "/" + strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return base
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
