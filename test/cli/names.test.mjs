import { describe, expect, it } from "vitest";
import { names, packageName } from "../../cli/lib/names.mjs";

describe("generator names", () => {
  it("derives every spelling from PascalCase", () => {
    expect(names("ShoppingCart")).toEqual({ Name: "ShoppingCart", camel: "shoppingCart", kebab: "shopping-cart", snake: "shopping_cart", CONSTANT: "SHOPPING_CART" });
    expect(names("HTTPCache").kebab).toBe("http-cache");
    expect(names("Foo2").CONSTANT).toBe("FOO2");
  });

  it("refuses other shapes and built-in names with a usage error", () => {
    for (const bad of ["", "foo", "shopping-cart", "Foo_Bar", "Foo Bar", "9Lives"]) expect(() => names(bad)).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => names("Component")).toThrow(/shadows a built-in/);
  });

  it("takes the app's package name from the directory", () => {
    expect(packageName("apps/my-app/")).toBe("my-app");
    expect(() => packageName("My App")).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
