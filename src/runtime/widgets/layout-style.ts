// Layout and style models: the sub-widgets every control refers to by `IPY_MODEL_<id>` in its `layout` and
// `style` state (LayoutModel from @jupyter-widgets/base, the …StyleModel of each control family).
import { BASE, CONTROLS } from "./protocol.js";
import { t, type TraitTable } from "./traits.js";
import { defineAccessors, type ModelSpec, Widget } from "./widget.js";

const css = (names: string): TraitTable => Object.fromEntries(names.split(" ").map((n) => [n, t.nullable("string")]));

export const LAYOUT_TRAITS = css(
  "alignContent alignItems alignSelf borderBottom borderLeft borderRight borderTop bottom display flex flexFlow gridArea " +
    "gridAutoColumns gridAutoFlow gridAutoRows gridColumn gridGap gridRow gridTemplateAreas gridTemplateColumns gridTemplateRows " +
    "height justifyContent justifyItems left margin maxHeight maxWidth minHeight minWidth objectFit objectPosition order overflow " +
    "padding right top visibility width",
);

const LAYOUT: ModelSpec = { name: "Layout", model: "LayoutModel", view: "LayoutView", module: BASE, traits: LAYOUT_TRAITS };

/** CSS layout of a widget (`widget.layout.width = "300px"`). */
export class Layout extends Widget {
  constructor(options: Record<string, unknown> = {}) {
    super(LAYOUT, options);
  }
}
defineAccessors(Layout, LAYOUT_TRAITS);

/** A style model of the controls module, shown by the base module's StyleView. */
export class Style extends Widget {}

function styleSpec(name: string, traits: TraitTable): ModelSpec {
  return { name, model: `${name}Model`, view: "StyleView", module: CONTROLS, viewModule: BASE, traits };
}

const described = { descriptionWidth: t.string("") };
const colors = (names: string): TraitTable => css(names);

export const STYLES = {
  DescriptionStyle: styleSpec("DescriptionStyle", { ...described }),
  SliderStyle: styleSpec("SliderStyle", { ...described, handleColor: t.nullable("string") }),
  ProgressStyle: styleSpec("ProgressStyle", { ...described, barColor: t.nullable("string") }),
  CheckboxStyle: styleSpec("CheckboxStyle", { ...described, background: t.nullable("string") }),
  TextStyle: styleSpec("TextStyle", { ...described, ...colors("background fontSize textColor") }),
  HTMLStyle: styleSpec("HTMLStyle", { ...described, ...colors("background fontSize textColor") }),
  ButtonStyle: styleSpec("ButtonStyle", colors("buttonColor fontFamily fontSize fontStyle fontVariant fontWeight textColor textDecoration")),
} satisfies Record<string, ModelSpec>;

export type StyleName = keyof typeof STYLES;

/** Makes a style widget of the given family, with accessors for its attributes. */
export function makeStyle(name: StyleName, options: Record<string, unknown> = {}): Style {
  const spec = STYLES[name];
  const style = new Style(spec, options);
  for (const trait of Object.keys(spec.traits)) {
    Object.defineProperty(style, trait, { configurable: true, get: () => style.get(trait), set: (v: unknown) => style.set({ [trait]: v }) });
  }
  return style;
}

/** The `layout` and `style` parts of a control whose style family is `style`. */
export function parts(style?: StyleName): NonNullable<ModelSpec["parts"]> {
  const out: Record<string, (o: Record<string, unknown>) => Widget> = { layout: (o) => new Layout(o) };
  if (style) out.style = (o) => makeStyle(style, o);
  return out;
}
