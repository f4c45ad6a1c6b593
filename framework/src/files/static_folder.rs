//! The app's static folder: where its files are and the URL they are served at
//! (Flask's `static_folder` and `static_url_path`).

use std::path::PathBuf;

use crate::extract::Path;
use crate::routing::Route;

/// A static folder setting: by default `static/` (from the working directory),
/// served at `/static/<path:filename>` under the endpoint `static`.
#[derive(Debug, Clone)]
pub(crate) struct StaticFolder {
    folder: Option<PathBuf>,
    url_path: Option<String>,
}

impl Default for StaticFolder {
    fn default() -> StaticFolder {
        StaticFolder { folder: Some(PathBuf::from("static")), url_path: None }
    }
}

impl StaticFolder {
    /// No folder: a blueprint's default.
    pub(crate) fn none() -> StaticFolder {
        StaticFolder { folder: None, url_path: None }
    }

    pub(crate) fn set_folder(&mut self, folder: Option<PathBuf>) {
        self.folder = folder;
    }

    pub(crate) fn set_url_path(&mut self, url_path: String) {
        self.url_path = Some(url_path);
    }

    /// The URL the files are under: as set, or `/` and the folder's name (Flask's
    /// default). An empty one serves them at the root.
    fn url_path(&self, folder: &std::path::Path) -> String {
        match &self.url_path {
            Some(url_path) => url_path.trim_end_matches('/').to_string(),
            None => format!("/{}", folder.file_name().map(|name| name.to_string_lossy()).unwrap_or_default()),
        }
    }

    /// The route that serves the folder, if there is one.
    pub(crate) fn route(&self) -> Option<Route> {
        let folder = self.folder.clone()?;
        let rule = format!("{}/<path:filename>", self.url_path(&folder));
        let view = move |Path(filename): Path<String>| {
            let folder = folder.clone();
            async move { super::send_from_directory(&folder, &filename).await }
        };
        Some(Route::new(rule, ["GET"], view).endpoint("static"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_path_defaults_to_the_folders_name() {
        let mut folder = StaticFolder::default();
        assert_eq!(folder.route().unwrap().rule(), "/static/<path:filename>");
        folder.set_folder(Some(PathBuf::from("site/assets")));
        assert_eq!(folder.route().unwrap().rule(), "/assets/<path:filename>");
        folder.set_url_path("/files/".to_string());
        assert_eq!(folder.route().unwrap().rule(), "/files/<path:filename>");
        folder.set_folder(None);
        assert!(folder.route().is_none());
    }
}
