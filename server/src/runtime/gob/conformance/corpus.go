package main

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The corpus mirrored by corpus.ts: every case has a Go type and the value both sides expect.

type User struct {
	Id          string
	Username    string
	Roles       string
	IsBot       bool
	CreateAt    int64
	Props       map[string]string
	NotifyProps map[string]string
}

type PostEmbed struct {
	Type string
	URL  string
	Data interface{}
}

type PostPriority struct {
	Priority     *string
	RequestedAck *bool
}

type PostMetadata struct {
	Embeds   []*PostEmbed
	Priority *PostPriority
}

type Post struct {
	Id           string
	CreateAt     int64
	UpdateAt     int64
	EditAt       int64
	DeleteAt     int64
	IsPinned     bool
	UserId       string
	ChannelId    string
	RootId       string
	Message      string
	Type         string
	Props        map[string]interface{}
	Hashtags     string
	FileIds      []string
	HasReactions bool
	RemoteId     *string
	ReplyCount   int64
	Participants []*User
	IsFollowing  *bool
	Metadata     *PostMetadata
}

type Times struct {
	UTC   time.Time
	Fixed time.Time
	Secs  time.Time
	Neg   time.Time
	Zero  time.Time
	Ptr   *time.Time
	First time.Time
}

type HTTPRequestSubset struct {
	Method        string
	URL           *url.URL
	Proto         string
	ProtoMajor    int
	ProtoMinor    int
	Header        map[string][]string
	Host          string
	RemoteAddr    string
	RequestURI    string
	ContentLength int64
	Form          map[string][]string
}

type Node struct {
	Name     string
	Children []*Node
	Next     *Node
	Index    map[string]*Node
}

type Limits struct {
	I64Max int64
	I64Min int64
	U64Max uint64
	I8Min  int8
	I8Max  int8
	U8Max  uint8
	I16Min int16
	U16Max uint16
	I32Min int32
	U32Max uint32
	IntMin int
	Neg1   int
	Big53  int64
	Uptr   uintptr
}

type Floats struct {
	NaN    float64
	PInf   float64
	NInf   float64
	Tiny   float64
	Max    float64
	F32    float32
	F32Max float32
	Neg    float64
	C      complex128
	C64    complex64
}

type Point struct{ X, Y int }

type Maps struct {
	Nil      map[string]int
	Empty    map[string]int
	Ints     map[int]string
	Structs  map[string]Point
	Arr      [4]byte
	Points   [2]Point
	NilSlice []int
	Bools    map[bool]bool
	Bytes    []byte
}

type AppError struct {
	Id            string
	Message       string
	DetailedError string
	StatusCode    int
	Where         string
}

func (e *AppError) Error() string { return e.Where + ": " + e.Message }

type Returns struct {
	A error
	B string
}

type Ifaces struct {
	List []interface{}
	One  interface{}
	Nil  interface{}
	Map  map[string]interface{}
}

// Celsius is a BinaryMarshaler whose bytes are text (gob never uses MarshalText: type.go, golang.org/issue/6760).
type Celsius float64

func (c Celsius) MarshalBinary() ([]byte, error) {
	return []byte(strconv.FormatFloat(float64(c), 'f', -1, 64) + "C"), nil
}

func (c *Celsius) UnmarshalBinary(b []byte) error {
	s, ok := strings.CutSuffix(string(b), "C")
	if !ok {
		return fmt.Errorf("bad celsius %q", b)
	}
	f, err := strconv.ParseFloat(s, 64)
	*c = Celsius(f)
	return err
}

type Text struct {
	T Celsius
	P *Celsius
}

type Inner struct {
	A int
	B string
}

type Outer struct {
	In  Inner
	Ptr *Inner
	N   int
}

type Case struct {
	Name  string
	Value interface{}
	New   func() interface{} // pointer to a fresh value of the case's type
}

func ptr[T any](v T) *T { return &v }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

var (
	t1 = time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC)
)

func corpus() []Case {
	celsius := Celsius(-3.25)
	return []Case{
		{"post", Post{
			Id: "p1", CreateAt: 1700000000123, UpdateAt: 1700000000999, IsPinned: true, UserId: "u1", ChannelId: "c1",
			Message: "hello 🌍 wörld", Type: "custom_infra_incident",
			Props: map[string]interface{}{
				"s": "str", "n": 42.5, "i": float64(7), "b": true, "f": false,
				"nested": map[string]interface{}{"k": "v", "arr": []interface{}{"a", 1.0, map[string]interface{}{"deep": true}}},
				"list":   []interface{}{"x", nil, -0.5},
				"empty":  map[string]interface{}{},
			},
			FileIds: []string{"f1", "f2"}, ReplyCount: 3,
			Participants: []*User{{Id: "u1", Username: "alice", Props: map[string]string{}}, {Id: "u2", Username: "bob", IsBot: true, NotifyProps: map[string]string{"email": "true"}}},
			IsFollowing:  ptr(true),
			Metadata: &PostMetadata{
				Embeds:   []*PostEmbed{{Type: "opengraph", URL: "http://x"}, {Type: "permalink", Data: map[string]interface{}{"post_id": "p0"}}},
				Priority: &PostPriority{Priority: ptr("urgent"), RequestedAck: ptr(true)},
			},
		}, func() interface{} { return new(Post) }},
		{"posts", []*Post{{Id: "a", Message: "m1"}, {Id: "b", CreateAt: -1, Props: map[string]interface{}{"x": "y"}}}, func() interface{} { return new([]*Post) }},
		{"times", Times{
			UTC:   t1,
			Fixed: time.Date(2026, 6, 1, 12, 0, 0, 999999999, time.FixedZone("", 5*3600+30*60)),
			Secs:  time.Date(1900, 6, 1, 12, 0, 0, 0, time.FixedZone("", 3630)),
			Neg:   time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC),
			Ptr:   ptr(t1),
			First: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		}, func() interface{} { return new(Times) }},
		{"headers", map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}, "X-Multi": {"a", "b", ""}, "Empty": nil}, func() interface{} { return new(map[string][]string) }},
		{"request", HTTPRequestSubset{
			Method: "POST", URL: mustURL("https://u:p@example.com:8065/plugins/infra-ops/api/v1?q=1&r=%20#frag"),
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: map[string][]string{"Mattermost-User-Id": {"u1"}, "Accept": {"application/json", "*/*"}},
			Host:   "example.com:8065", RemoteAddr: "127.0.0.1:5555", RequestURI: "/plugins/infra-ops/api/v1?q=1",
			ContentLength: 12, Form: map[string][]string{},
		}, func() interface{} { return new(HTTPRequestSubset) }},
		{"tree", Node{Name: "root",
			Children: []*Node{{Name: "a", Children: []*Node{{Name: "a1"}}}, {Name: "b", Next: &Node{Name: "n", Next: &Node{Name: "nn"}}}},
			Index:    map[string]*Node{"x": {Name: "x", Index: map[string]*Node{}}},
		}, func() interface{} { return new(Node) }},
		{"limits", Limits{
			I64Max: math.MaxInt64, I64Min: math.MinInt64, U64Max: math.MaxUint64, I8Min: math.MinInt8, I8Max: math.MaxInt8,
			U8Max: math.MaxUint8, I16Min: math.MinInt16, U16Max: math.MaxUint16, I32Min: math.MinInt32, U32Max: math.MaxUint32,
			IntMin: math.MinInt, Neg1: -1, Big53: 1<<53 + 1, Uptr: 12345,
		}, func() interface{} { return new(Limits) }},
		{"floats", Floats{
			NaN: math.NaN(), PInf: math.Inf(1), NInf: math.Inf(-1), Tiny: 5e-324, Max: math.MaxFloat64,
			F32: 1.1, F32Max: math.MaxFloat32, Neg: -2.5, C: complex(1.5, -2), C64: complex(0.5, 3),
		}, func() interface{} { return new(Floats) }},
		{"maps", Maps{
			Empty: map[string]int{}, Ints: map[int]string{1: "a", -2: "b", 0: ""},
			Structs: map[string]Point{"o": {}, "p": {X: 1, Y: -2}},
			Arr:     [4]byte{1, 2, 3, 250}, Points: [2]Point{{X: 1, Y: 2}, {}},
			Bools: map[bool]bool{true: false},
		}, func() interface{} { return new(Maps) }},
		{"apperror", Returns{A: &AppError{Id: "x.y", Message: "boom", StatusCode: 1000, Where: "OnActivate"}, B: "after"}, func() interface{} { return new(Returns) }},
		{"ifaces", Ifaces{
			List: []interface{}{"k", 1.5, true, int64(-3), uint8(7), []byte("b"), nil, map[string]interface{}{"z": 0.0},
				[]interface{}(nil), t1, int(5), Point{X: 3}, complex(1, 2), []string{"s"}, uint64(math.MaxUint64)},
			One: uint32(9),
			Map: map[string]interface{}{"err": &AppError{Id: "nested"}, "n": 1.0},
		}, func() interface{} { return new(Ifaces) }},
		{"text", Text{T: 21.5, P: &celsius}, func() interface{} { return new(Text) }},
		{"outer", Outer{N: 1}, func() interface{} { return new(Outer) }},
		{"s-int", -5, func() interface{} { return new(int) }},
		{"s-uint64", uint64(math.MaxUint64), func() interface{} { return new(uint64) }},
		{"s-string", "hooks", func() interface{} { return new(string) }},
		{"s-bytes", []byte("hi"), func() interface{} { return new([]byte) }},
		{"s-bool", false, func() interface{} { return new(bool) }},
		{"s-float", 0.0, func() interface{} { return new(float64) }},
		{"s-strings", []string{"a", ""}, func() interface{} { return new([]string) }},
		{"s-intmap", map[int]string{}, func() interface{} { return new(map[int]string) }},
		{"s-array", [3]int{}, func() interface{} { return new([3]int) }},
		{"s-complex", complex(1, 2), func() interface{} { return new(complex128) }},
		{"s-time", t1, func() interface{} { return new(time.Time) }},
		{"s-text", Celsius(-40), func() interface{} { return new(Celsius) }},
		{"s-point", Point{}, func() interface{} { return new(Point) }},
		{"s-empty", struct{}{}, func() interface{} { return new(struct{}) }},
	}
}
