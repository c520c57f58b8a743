//! The Library screen's native dialogs (rfd): the e-sidoc XML, BCDI's borrower list and the output
//! folder. The answer goes back to the screen as `library::Message::Picked`; the tests send that message
//! themselves.

use iced::Task;

use super::app::Message;
use super::screens::library::{self, Pick};
use crate::fl;

pub fn dialog(pick: Pick) -> Task<Message> {
    let title = match pick {
        Pick::EntFile => fl!("library-dialog-ent"),
        Pick::Borrowers => fl!("library-dialog-borrowers"),
        Pick::OutputFolder => fl!("library-dialog-folder"),
        Pick::SaveXml => fl!("library-dialog-save-xml"),
    };
    Task::perform(
        async move {
            let dlg = rfd::AsyncFileDialog::new().set_title(title);
            let handle = match pick {
                Pick::EntFile => dlg.add_filter("XML", &["xml", "XML"]).pick_file().await,
                Pick::Borrowers => {
                    dlg.add_filter(
                        "CSV, TXT, XML",
                        &["csv", "CSV", "txt", "TXT", "tsv", "TSV", "xml", "XML"],
                    )
                    .pick_file()
                    .await
                }
                Pick::OutputFolder => dlg.pick_folder().await,
                Pick::SaveXml => {
                    dlg.add_filter("XML", &["xml"])
                        .set_file_name("emprunteurs-esidoc.xml")
                        .save_file()
                        .await
                }
            };
            handle.map(|h| h.path().to_path_buf())
        },
        move |path| Message::Library(library::Message::Picked(pick, path)),
    )
}
