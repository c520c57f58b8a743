//! The Library screen's native dialogs (rfd): the e-sidoc XML, BCDI's borrower list and the output
//! folder. The answer goes back to the screen as `library::Message::Picked`; the tests send that message
//! themselves.

use iced::Task;

use super::app::Message;
use super::printing::{self, FileDialog};
use super::screens::library::{self, Pick};
use crate::fl;

pub fn dialog(pick: Pick) -> Task<Message> {
    let spec = match pick {
        Pick::EntFile => {
            FileDialog::open(fl!("library-dialog-ent"), Some(("XML", &["xml", "XML"])))
        }
        Pick::Borrowers => FileDialog::open(
            fl!("library-dialog-borrowers"),
            Some((
                "CSV, TXT, XML",
                &["csv", "CSV", "txt", "TXT", "tsv", "TSV", "xml", "XML"],
            )),
        ),
        Pick::OutputFolder => FileDialog::folder(fl!("library-dialog-folder")),
        Pick::SaveXml => FileDialog::save(
            fl!("library-dialog-save-xml"),
            ("XML", &["xml"]),
            "emprunteurs-esidoc.xml",
        ),
    };
    printing::ask(spec, move |path| {
        Message::Library(library::Message::Picked(pick, path))
    })
}
