import { UsageError } from "./errors.mjs";

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const RESERVED = new Set(["Component", "Object", "Array", "String", "Number", "Boolean", "Error", "Env", "Request", "Response", "Date", "Map", "Set", "Promise"]);

/**
 * The spellings one generator name needs: `ShoppingCart` → class `ShoppingCart`,
 * file/mount `shopping-cart`, binding `SHOPPING_CART`, variable `shoppingCart`.
 * Only PascalCase is accepted, so every spelling is derived without guessing.
 */
export function names(raw, what = "name") {
  if (typeof raw !== "string" || raw === "") throw new UsageError(`Missing ${what}. Give it in PascalCase, e.g. ShoppingCart.`);
  if (!PASCAL.test(raw)) throw new UsageError(`Bad ${what} "${raw}": use PascalCase letters and digits, starting with a capital (e.g. ShoppingCart).`);
  if (RESERVED.has(raw)) throw new UsageError(`Bad ${what} "${raw}": it shadows a built-in name.`);
  const words = raw.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/);
  return {
    Name: raw,
    camel: raw[0].toLowerCase() + raw.slice(1),
    kebab: words.map((w) => w.toLowerCase()).join("-"),
    snake: words.map((w) => w.toLowerCase()).join("_"),
    CONSTANT: words.map((w) => w.toUpperCase()).join("_"),
  };
}

/** A directory name usable as an npm package name (lower case, dashes). */
export function packageName(dir) {
  const base = dir.replace(/\/+$/, "").split("/").pop() ?? "";
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(base)) {
    throw new UsageError(`Bad app directory "${dir}": its last part becomes the package and Worker name, so use lower case letters, digits, "-", "." or "_".`);
  }
  return base;
}
