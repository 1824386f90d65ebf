// "Compare with": the controls that choose the second scenario (its container, typecode,
// dtype and Python; n and the values are the shown scenario's). A separate chunk, loaded the
// first time a reader opens them: most keep the usual comparison. It imports nothing: the
// element hands it its helpers (`lib`), so that kit.js and state.js stay in the element's chunk
// (imported from here too, esbuild would split them into chunks of their own, which costs the
// site more bytes than this chunk saves).
const LABELS = {
  container: "container",
  typecode: "array typecode",
  dtype: "ndarray dtype",
  profile: "Python",
};

export function compareControls(host, lib) {
  const { el, nextId, CHOICES, COMPARE_FIELDS, formatCompare, parseCompare } = lib;
  const OPTIONS = {
    container: [["auto", "auto"], ...CHOICES.container],
    typecode: CHOICES.typecode,
    dtype: CHOICES.dtype,
    profile: [["", "the same Python"], ...CHOICES.profile],
  };
  const selects = {};
  const fields = COMPARE_FIELDS.map((name) => {
    const id = nextId(`compare-${name}`);
    selects[name] = el(
      "select",
      { id, name: `compare-${name}` },
      ...OPTIONS[name].map(([v, t]) => el("option", { value: v, text: t })),
    );
    selects[name].addEventListener("change", () => {
      const given = parseCompare(host.state.compare);
      const v = selects[name].value;
      if (v === "" || v === "auto") delete given[name];
      else given[name] = v;
      host.setState({ compare: formatCompare(given) });
    });
    return el("div", { class: `field ${name}` }, el("label", { for: id, text: LABELS[name] }), selects[name]);
  });
  const section = el(
    "fieldset",
    { class: "controls compare-controls", id: nextId("compare"), hidden: true },
    el("legend", { text: "Compare with (n and the values are shared)" }),
    ...fields,
  );

  /** Show what is compared with: the fields given, and the type the auto choice took. */
  function sync() {
    const given = parseCompare(host.state.compare);
    const shown = host.compareState;
    selects.container.value = given.container ?? "auto";
    // auto names what it chose (packed for a boxed scenario, a list for a packed one).
    selects.container.options[0].text = given.container
      ? "auto: the usual counterpart"
      : `auto: ${host.names[1]}`;
    selects.typecode.value = shown.typecode;
    selects.dtype.value = shown.dtype;
    selects.profile.value = given.profile ?? "";
    fields[1].hidden = shown.container !== "array";
    fields[2].hidden = shown.container !== "ndarray";
  }
  sync();
  return { section, sync, focus: () => selects.container.focus() };
}
