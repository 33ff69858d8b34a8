import { describe, expect, it } from "vitest";
import { check, same, t, wireName, type Trait, type WidgetRefs } from "../../../src/runtime/widgets/traits.js";

class W {
  constructor(readonly id: string) {}
}
const known = new W("abc");
const refs: WidgetRefs<W> = { isWidget: (v): v is W => v instanceof W, byId: (id) => (id === "abc" ? known : undefined), idOf: (w) => w.id };

describe("trait checks", () => {
  const cases: [string, Trait, unknown, boolean, string?][] = [
    ["int takes an integer", t.int(0), 3, true],
    ["int refuses a fraction", t.int(0), 2.5, false, "expected an integer, received number 2.5"],
    ["float refuses NaN", t.float(0), Number.NaN, false, "expected a finite number, received number NaN"],
    ["bool refuses a string", t.bool(false), "true", false, 'expected a boolean, received "true"'],
    ["string choice refuses other values", t.choice(["a", "b"], "a"), "c", false, 'expected one of "a", "b", received "c"'],
    ["nullable takes null", t.nullable("string"), null, true],
    ["non-nullable refuses null", t.string(""), null, false, "expected a string, received null"],
    ["widget takes a widget", t.widget(), known, true],
    ["widgets refuse a non-widget item", t.widgets(), [known, 1], false, "expected an array of widgets, received an array containing number 1"],
  ];
  for (const [name, trait, value, ok, reason] of cases) {
    it(name, () => {
      const result = check(trait, value, refs);
      expect(result.ok).toBe(ok);
      if (!result.ok) expect(result.reason).toBe(reason);
    });
  }

  it("resolves IPY_MODEL_ references only for values from the wire", () => {
    expect(check(t.widget(), "IPY_MODEL_abc", refs, true)).toEqual({ ok: true, value: known });
    expect(check(t.widget(), "IPY_MODEL_abc", refs).ok).toBe(false);
    expect(check(t.widgets(), ["IPY_MODEL_abc", "IPY_MODEL_gone"], refs, true).ok).toBe(false);
  });

  it("maps camelCase names to the wire's snake_case", () => {
    expect(wireName("descriptionAllowHtml", t.bool(false))).toBe("description_allow_html");
    expect(wireName("value", t.int(0))).toBe("value");
    expect(wireName("domClasses", t.json([], "_dom_classes"))).toBe("_dom_classes");
  });

  it("compares arrays and objects by value", () => {
    expect(same([1, [2]], [1, [2]])).toBe(true);
    expect(same({ a: 1 }, { a: 1 })).toBe(true);
    expect(same([1], [2])).toBe(false);
    expect(same(Number.NaN, Number.NaN)).toBe(true);
  });
});
