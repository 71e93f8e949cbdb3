// The few WebAssembly globals the schema-engine loader uses. TypeScript declares them only in
// the DOM library, which a Node package should not pull in.
declare namespace WebAssembly {
  type ModuleImports = Record<string, unknown>;
  interface Module {
    readonly kind?: "compiled WebAssembly module";
  }
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  function compile(bytes: Uint8Array): Promise<Module>;
  function instantiate(module: Module, imports: Record<string, ModuleImports>): Promise<Instance>;
}
