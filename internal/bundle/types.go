package bundle

// The JSON documents of a bundle. schema/bundle-manifest.schema.json,
// bundle-form.schema.json and bundle-key.schema.json describe them field by
// field; keep the two in step (a test validates built bundles against the
// schemas).

// Manifest is manifest.json.
type Manifest struct {
	Format    string         `json:"format"`
	Exam      string         `json:"exam"`
	Title     string         `json:"title"`
	Version   string         `json:"version"`
	Tool      Tool           `json:"tool"`
	Source    *Source        `json:"source,omitempty"`
	Blueprint Blueprint      `json:"blueprint"`
	Scale     *ManifestScale `json:"scale,omitempty"`
	Forms     []ManifestForm `json:"forms"`
	Files     []FileEntry    `json:"files"`
	Signature *SignatureInfo `json:"signature,omitempty"`
}

// Tool names the program that built a bundle.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Source says where the bank came from. Dirty is set when the bank's own
// files (exam.yaml, items/, forms/) differ from the commit.
type Source struct {
	Commit string `json:"commit,omitempty"`
	Dirty  bool   `json:"dirty,omitempty"`
	Date   string `json:"date,omitempty"`
}

// Blueprint is exam.yaml as JSON.
type Blueprint struct {
	Exam    string          `json:"exam"`
	Title   string          `json:"title"`
	Options BlueprintOpts   `json:"options"`
	Scale   BlueprintScale  `json:"scale"`
	Domains []BlueprintDom  `json:"domains"`
	Forms   []BlueprintSpec `json:"forms"`
}

// BlueprintOpts are the option counts of a blueprint.
type BlueprintOpts struct {
	Single      int `json:"single"`
	MultipleMin int `json:"multiple_min"`
}

// BlueprintScale is the score scale of a blueprint. Slope and DomainSD
// are the values in effect (defaults filled in).
type BlueprintScale struct {
	Min      int     `json:"min"`
	Max      int     `json:"max"`
	Pass     int     `json:"pass"`
	Slope    float64 `json:"slope"`
	DomainSD float64 `json:"domain_sd"`
}

// ManifestScale says where the bundle's conversion tables come from: the
// passing standard and the calibration of the item difficulties.
type ManifestScale struct {
	// ThetaCut is theta_cut in logits, rounded to scale.Decimals; every
	// table of the bundle was computed with this value.
	ThetaCut float64 `json:"theta_cut"`
	// Cut is exam.yaml's cut as written.
	Cut ManifestCut `json:"cut"`
	// Calibration is stats.yaml's calibration block when any scored item
	// has a measured b; nil otherwise.
	Calibration *ManifestCalibration `json:"calibration,omitempty"`
	// Provisional is set when any scored item of any form has a
	// provisional b; ProvisionalItems names them, sorted.
	Provisional      bool     `json:"provisional"`
	ProvisionalItems []string `json:"provisional_items"`
}

// ManifestCut is exam.yaml's scale.cut: {form, raw} or {theta}.
type ManifestCut struct {
	Form  string   `json:"form,omitempty"`
	Raw   *int     `json:"raw,omitempty"`
	Theta *float64 `json:"theta,omitempty"`
}

// ManifestCalibration is the calibration block of stats.yaml.
type ManifestCalibration struct {
	Model     string `json:"model"`
	Method    string `json:"method"`
	Anchored  int    `json:"anchored"`
	Attempts  int    `json:"attempts"`
	Computed  string `json:"computed,omitempty"`
	Simulated bool   `json:"simulated,omitempty"`
}

// BlueprintDom is a content domain.
type BlueprintDom struct {
	ID     string          `json:"id"`
	Name   string          `json:"name"`
	Weight int             `json:"weight"`
	Tasks  []BlueprintTask `json:"tasks"`
}

// BlueprintTask is a task statement.
type BlueprintTask struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// BlueprintSpec is a form specification.
type BlueprintSpec struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Scored  int    `json:"scored"`
	Pretest int    `json:"pretest"`
	Minutes int    `json:"minutes"`
}

// ManifestForm describes one form of the bundle.
type ManifestForm struct {
	Form          string         `json:"form"`
	Version       int            `json:"version"`
	Spec          string         `json:"spec"`
	Title         string         `json:"title"`
	Minutes       int            `json:"minutes"`
	Seed          *int64         `json:"seed,omitempty"`
	Scored        int            `json:"scored"`
	Pretest       int            `json:"pretest"`
	CandidateFile string         `json:"candidate_file"`
	KeyFile       string         `json:"key_file"`
	Items         []ManifestItem `json:"items"`
}

// ManifestItem is one slot of a form.
type ManifestItem struct {
	Position int    `json:"position"`
	ID       string `json:"id"`
	Revision int    `json:"revision"`
	Role     string `json:"role"`
}

// FileEntry is the checksum of one bundle file.
type FileEntry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// SignatureInfo declares that a bundle is signed, and by which key.
type SignatureInfo struct {
	Algorithm string `json:"algorithm"`
	KeyID     string `json:"key_id"`
	File      string `json:"file"`
}

// CandidateForm is forms/<FORM>.json: what a candidate's browser receives.
// Every item has the same fields whatever its role, and none of them is
// the key. Items carry no id: ids are allocated in sequence and pretest
// items are the newest, so an id could give a pretest item away. The
// position is the reference; keys/<FORM>.json and the manifest map it to
// the item and its revision.
type CandidateForm struct {
	Exam    string          `json:"exam"`
	Form    string          `json:"form"`
	Version int             `json:"version"`
	Bundle  string          `json:"bundle"`
	Title   string          `json:"title"`
	Minutes int             `json:"minutes"`
	Domains []DomainName    `json:"domains"`
	Items   []CandidateItem `json:"items"`
}

// DomainName names a domain for the score report.
type DomainName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CandidateItem is one question as the candidate sees it.
type CandidateItem struct {
	Position int               `json:"position"`
	Domain   string            `json:"domain"`
	Type     string            `json:"type"`
	Select   int               `json:"select"`
	Stem     string            `json:"stem"`
	Options  []CandidateOption `json:"options"`
}

// CandidateOption is an answer option as the candidate sees it.
type CandidateOption struct {
	Letter string `json:"letter"`
	Text   string `json:"text"`
}

// KeyForm is keys/<FORM>.json: the answer key and review content.
type KeyForm struct {
	Exam    string    `json:"exam"`
	Form    string    `json:"form"`
	Version int       `json:"version"`
	Bundle  string    `json:"bundle"`
	Scale   *KeyScale `json:"scale,omitempty"`
	Items   []KeyItem `json:"items"`
}

// KeyScale is a form's conversion from raw score (scored items only) to
// scaled score, with everything needed to use and check it.
type KeyScale struct {
	Min      int     `json:"min"`
	Max      int     `json:"max"`
	Pass     int     `json:"pass"`
	Slope    float64 `json:"slope"`
	ThetaCut float64 `json:"theta_cut"`
	// CutRaw is the smallest raw score that passes; -1 when none does.
	CutRaw int `json:"cut_raw"`
	// Provisional is set when any scored item's b is provisional.
	Provisional bool       `json:"provisional"`
	Table       []TableRow `json:"table"`
}

// TableRow is one raw score of a conversion table.
type TableRow struct {
	Raw    int     `json:"raw"`
	Theta  float64 `json:"theta"`
	SE     float64 `json:"se"`
	Scaled int     `json:"scaled"`
	Pass   bool    `json:"pass"`
}

// KeyItem is the key of one item.
type KeyItem struct {
	Position    int         `json:"position"`
	ID          string      `json:"id"`
	Revision    int         `json:"revision"`
	Role        string      `json:"role"`
	Domain      string      `json:"domain"`
	Task        string      `json:"task"`
	Key         []string    `json:"key"`
	Options     []KeyOption `json:"options"`
	Explanation string      `json:"explanation,omitempty"`
	References  []string    `json:"references"`
	// B is a scored item's Rasch difficulty behind the table (nil for
	// pretest items and in bundles without a scale); BProvisional is set
	// when it is the provisional b of the authored difficulty.
	B            *float64 `json:"b,omitempty"`
	BProvisional bool     `json:"b_provisional,omitempty"`
}

// KeyOption is an option's correctness and rationale.
type KeyOption struct {
	Letter  string `json:"letter"`
	Correct bool   `json:"correct"`
	Why     string `json:"why"`
}
