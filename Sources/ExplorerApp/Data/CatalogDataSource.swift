import RecWorkbench

/// The explorer's view of a SQLite catalog is the workbench's `CatalogBrowser`, which reads the catalog and
/// keeps its lists in memory.
public typealias CatalogDataSource = CatalogBrowser

extension CatalogBrowser: ExplorerDataSource {}
