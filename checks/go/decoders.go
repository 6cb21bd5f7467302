package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// registerDecoders adds the body decoders kin-openapi 0.110 lacks for this API's media types.
// Binary and opaque bodies decode to their text (the schemas say `type: string`); NDJSON also
// checks each line against the media type's `x-contentSchema` (3.1's `contentSchema`).
func registerDecoders(doc *openapi3.T) {
	for _, mediaType := range []string{"application/wasm", "application/pem-certificate-chain", "*/*"} {
		openapi3filter.RegisterBodyDecoder(mediaType, openapi3filter.FileBodyDecoder)
	}
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", func(body io.Reader, _ http.Header, schema *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (interface{}, error) {
		data, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		if err := checkLines(doc, schema, data); err != nil {
			return nil, err
		}
		return string(data), nil
	})
}

// checkLines validates an NDJSON body's records, as a list, against `x-contentSchema`.
func checkLines(doc *openapi3.T, schema *openapi3.SchemaRef, data []byte) error {
	if schema == nil || schema.Value == nil {
		return nil
	}
	extension, present := schema.Value.Extensions["x-contentSchema"]
	if !present {
		return nil
	}
	raw, ok := extension.(json.RawMessage)
	if !ok {
		return fmt.Errorf("x-contentSchema: unexpected %T", extension)
	}
	var content openapi3.SchemaRef
	if err := json.Unmarshal(raw, &content); err != nil {
		return fmt.Errorf("x-contentSchema: %v", err)
	}
	if err := resolveLocal(doc, &content); err != nil {
		return err
	}
	records := []interface{}{}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var record interface{}
		decoder := json.NewDecoder(bytes.NewReader([]byte(line)))
		if err := decoder.Decode(&record); err != nil || decoder.More() {
			return fmt.Errorf("NDJSON line %d is not one JSON value: %q", i+1, line)
		}
		records = append(records, record)
	}
	if err := content.Value.VisitJSON(records); err != nil {
		return fmt.Errorf("NDJSON records against x-contentSchema: %v", err)
	}
	return nil
}

// resolveLocal points the `#/components/schemas/…` references of a schema read from an extension
// at the loaded document's schemas (the loader does not read extensions).
func resolveLocal(doc *openapi3.T, s *openapi3.SchemaRef) error {
	if s == nil {
		return nil
	}
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		target, ok := doc.Components.Schemas[name]
		if !ok || name == s.Ref {
			return fmt.Errorf("x-contentSchema: cannot resolve %s", s.Ref)
		}
		s.Value = target.Value
		return nil
	}
	for _, child := range children(s.Value) {
		if err := resolveLocal(doc, child.ref); err != nil {
			return err
		}
	}
	return nil
}
