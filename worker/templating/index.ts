/** `stratus/html`: the html tag, pages, layouts, partials and live component mounts. */
export { html, raw, renderToString, Template, TemplateError, RawHtml } from "./html";
export { keyed, KeyedList } from "./keyed";
export { renderToStringAsync, renderToStream } from "./async";
export { renderTree, collectStatics, toHtml, type Rendered, type Dynamic, type RenderedNode, type StaticsTable } from "./rendered";
export { diffTree, applyChange, type Change, type TreeDiff } from "./diff";
export { view, View, type ViewInit } from "./view";
export { LayoutManager, type Layout, type LayoutContext } from "./layouts";
export { Partials, type Partial } from "./partials";
export { RenderEngine, definePage, type Page, type PageOptions } from "./render-engine";
export { ComponentService, mountElement, type LiveProps } from "./component-service";
export { RenderCache, type RenderCacheOptions } from "./render-cache";
export { PublishedRenders, type PublishedRendersOptions } from "./published-renders";
export type { MountAddress, RenderSource, RenderSources } from "./render-source";
export { ComponentRegistry } from "./component-registry";
export { templatingProvider, templatingModule } from "./provider";
export { RENDER_ENGINE, COMPONENTS, COMPONENT_REGISTRY } from "./tokens";
