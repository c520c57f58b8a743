//! Name lists of the demo institution: French surnames weighted by frequency (with Breton names, as
//! the fictitious institution sits in Brittany), and given names weighted for two generations.
//!
//! The lists deliberately contain what breaks naive code: accents, hyphens, apostrophes,
//! particles, ligatures, and very frequent homonyms. A few names are reserved for the fixed persons
//! and are absent from these lists, so that searching for them finds the fixed person first:
//! `Hélène`, `Lefèvre`, `Œuvray`, `Lœwy`, `de La Fontaine`, `d'Artagnan`.

/// Surnames and their relative frequency.
#[rustfmt::skip]
pub const SURNAMES: &[(&str, u32)] = &[
    // The most frequent French surnames.
    ("Martin", 120), ("Bernard", 70), ("Thomas", 62), ("Petit", 58), ("Robert", 56),
    ("Richard", 55), ("Durand", 52), ("Dubois", 52), ("Moreau", 50), ("Laurent", 48), ("Simon", 45),
    ("Michel", 45), ("Lefebvre", 42), ("Leroy", 42), ("Roux", 38), ("David", 38), ("Bertrand", 36),
    ("Morel", 36), ("Fournier", 35), ("Girard", 34), ("Bonnet", 33), ("Dupont", 40),
    ("Lambert", 32), ("Fontaine", 30), ("Rousseau", 30), ("Vincent", 29), ("Muller", 28),
    ("Faure", 27), ("André", 27), ("Mercier", 27), ("Blanc", 26), ("Guérin", 26), ("Boyer", 25),
    ("Garnier", 25), ("Chevalier", 25), ("François", 24), ("Legrand", 24), ("Gauthier", 24),
    ("Garcia", 24), ("Perrin", 23), ("Robin", 23), ("Clément", 23), ("Morin", 22), ("Nicolas", 22),
    ("Henry", 22), ("Roussel", 21), ("Mathieu", 21), ("Gautier", 20), ("Masson", 20),
    ("Marchand", 20), ("Duval", 20), ("Denis", 19), ("Dumont", 19), ("Marie", 19), ("Lemaire", 18),
    ("Noël", 18), ("Meyer", 18), ("Dufour", 17), ("Meunier", 17), ("Brun", 17), ("Blanchard", 16),
    ("Giraud", 16), ("Joly", 16), ("Rivière", 16), ("Lucas", 16), ("Brunet", 15), ("Gaillard", 15),
    ("Barbier", 15), ("Arnaud", 15), ("Martinez", 15), ("Gérard", 14), ("Roche", 14),
    ("Renard", 14), ("Schmitt", 14), ("Roy", 14), ("Leroux", 14), ("Colin", 13), ("Vidal", 13),
    ("Caron", 13), ("Picard", 13), ("Roger", 13), ("Fabre", 13), ("Aubert", 12), ("Lemoine", 12),
    ("Renaud", 12), ("Dumas", 12), ("Lacroix", 12), ("Olivier", 12), ("Philippe", 12),
    ("Bourgeois", 11), ("Pierre", 11), ("Benoît", 11), ("Rey", 11), ("Leclerc", 11), ("Payet", 10),
    ("Rolland", 10), ("Leclercq", 10), ("Guillaume", 10), ("Lecomte", 10), ("Lopez", 10),
    ("Jean", 10), ("Dupuy", 10), ("Guillot", 10), ("Hubert", 10), ("Berger", 9), ("Carpentier", 9),
    ("Sanchez", 9), ("Dupuis", 9), ("Moulin", 9), ("Louis", 9), ("Deschamps", 9), ("Huet", 9),
    ("Vasseur", 8), ("Perez", 8), ("Boucher", 8), ("Fleury", 8), ("Royer", 8), ("Klein", 8),
    ("Jacquet", 8), ("Adam", 8), ("Paris", 8), ("Poirier", 8), ("Marty", 8), ("Aubry", 8),
    ("Guyot", 8), ("Carré", 8), ("Charles", 8), ("Renault", 7), ("Charpentier", 7), ("Ménard", 7),
    ("Maillard", 7), ("Baron", 7), ("Bertin", 7), ("Bailly", 7), ("Hervé", 7), ("Schneider", 7),
    ("Fernandez", 7), ("Collet", 7), ("Léger", 7), ("Bouvier", 7), ("Julien", 7), ("Prévost", 7),
    ("Millet", 6), ("Perrot", 6), ("Daniel", 6), ("Cousin", 6), ("Germain", 6), ("Breton", 6),
    ("Besson", 6), ("Langlois", 6), ("Rémy", 6), ("Pelletier", 6), ("Lévêque", 6), ("Perrier", 6),
    ("Leblanc", 6), ("Barré", 6), ("Lebrun", 6), ("Marchal", 6), ("Weber", 6), ("Mallet", 6),
    ("Boulanger", 6), ("Jacob", 6), ("Monnier", 6), ("Michaud", 6), ("Rodriguez", 6),
    ("Guichard", 5), ("Gillet", 5), ("Étienne", 5), ("Poulain", 5), ("Tessier", 5),
    ("Chevallier", 5), ("Collin", 5), ("Chauvin", 5), ("Bouchet", 5), ("Gay", 5), ("Lemaître", 5),
    ("Bénard", 5), ("Maréchal", 5), ("Humbert", 5), ("Reynaud", 5), ("Antoine", 5), ("Perret", 5),
    ("Barthélemy", 5), ("Cordier", 5), ("Pichon", 5), ("Lejeune", 5), ("Gilbert", 5), ("Lamy", 5),
    ("Delaunay", 5), ("Pasquier", 5), ("Carlier", 5), ("Laporte", 5), ("Dupré", 5), ("Lefort", 4),
    ("Bouvet", 4), ("Hamel", 4), ("Delorme", 4), ("Leduc", 4), ("Texier", 4), ("Chauveau", 4),
    ("Lebon", 4), ("Buisson", 4), ("Verdier", 4),
    // Breton surnames, frequent in the institution's region.
    ("Le Gall", 22), ("Le Goff", 20), ("Le Roux", 18), ("Le Bihan", 14), ("Guillou", 14),
    ("Morvan", 14), ("Hamon", 13), ("Tanguy", 12), ("Le Floch", 11), ("Le Corre", 11),
    ("Le Guen", 10), ("Le Bris", 10), ("Le Meur", 10), ("Le Berre", 9), ("Riou", 9), ("Prigent", 9),
    ("Jézéquel", 8), ("Quéré", 8), ("Le Lay", 8), ("Cloarec", 7), ("Caradec", 6), ("Le Pape", 6),
    ("Le Moal", 6), ("Kerhervé", 6), ("Le Hénaff", 6), ("Gourvès", 5), ("Nédélec", 6), ("Le Du", 5),
    ("Even", 5), ("Le Coz", 6), ("Le Gac", 6), ("Guéguen", 7), ("Kervella", 6), ("Salaün", 6),
    ("Le Borgne", 6), ("Le Cam", 6), ("Tréguer", 4), ("Le Quéré", 5), ("Kerjean", 3),
    ("Derrien", 5), ("Le Saux", 4), ("Bodénès", 3), ("Le Dantec", 5), ("Gloaguen", 4),
    ("Le Bars", 4), ("Thépaut", 4), ("Abgrall", 4), ("Kerouédan", 2),
    // Apostrophes.
    ("N'Diaye", 8), ("L'Hôte", 3), ("D'Angelo", 3), ("N'Guessan", 3), ("L'Huillier", 2),
    ("D'Amico", 2), ("d'Aubigné", 2), ("L'Hermitte", 2), ("O'Neill", 2), ("L'Hostis", 3),
    // Particles.
    ("de La Motte", 3), ("du Pont", 3), ("de Saint-Exupéry", 1), ("de Villiers", 2),
    ("de La Tour", 2), ("du Bois", 2), ("de Kerguelen", 2), ("Le Moigne", 3), ("des Ormeaux", 1),
    ("de Lorme", 2), ("de La Villemarqué", 1), ("du Guesclin", 1),
    // Compound surnames.
    ("Martin-Lavigne", 2), ("Leroy-Beaulieu", 2), ("Bernard-Reymond", 2), ("Fabre-Luce", 1),
    ("Grosjean-Maupin", 1), ("Le Bihan-Dupuis", 2), ("Saint-Martin", 2), ("Dubois-Lacroix", 2),
    ("Rivière-Blanc", 1), ("Dupont-Aignan", 1), ("Moreau-Le Goff", 1), ("Sainte-Marie", 1),
    // Ligatures (œ, æ).
    ("Cœuret", 2), ("Lœuillet", 2), ("Œhmichen", 1), ("Cœurdevey", 1), ("Lætitier", 1),
    // Families of foreign origin.
    ("Nguyen", 10), ("Tran", 5), ("Pham", 3), ("Diallo", 7), ("Traoré", 5), ("Cissé", 4),
    ("Camara", 4), ("Coulibaly", 4), ("Konaté", 3), ("Sow", 3), ("Benali", 5), ("Haddad", 5),
    ("Belkacem", 4), ("Mansouri", 4), ("Amrani", 3), ("Bouzid", 3), ("Chérif", 3), ("Mendes", 4),
    ("Ferreira", 5), ("Da Silva", 6), ("Da Costa", 4), ("Dos Santos", 5), ("Pereira", 4),
    ("Gomes", 4), ("Rossi", 4), ("Ricci", 2), ("Kaya", 3), ("Yılmaz", 3), ("Kowalski", 3),
    ("Nowak", 2), ("Zimmermann", 3), ("Chen", 3), ("Wang", 2), ("Müller", 2), ("Søndergaard", 1),
];

/// A given name with its weight among the young (pupils, students) and the older (staff, parents).
pub type Given = (&'static str, u32, u32);

/// Female given names.
#[rustfmt::skip]
pub const FEMALE: &[Given] = &[
    ("Marie", 20, 40), ("Nathalie", 0, 30), ("Isabelle", 0, 30), ("Sylvie", 0, 25),
    ("Catherine", 0, 25), ("Françoise", 0, 20), ("Christine", 0, 22), ("Valérie", 0, 22),
    ("Sandrine", 0, 22), ("Véronique", 0, 20), ("Stéphanie", 1, 22), ("Sophie", 4, 20),
    ("Céline", 1, 20), ("Chantal", 0, 8), ("Patricia", 0, 10), ("Anne", 3, 18), ("Brigitte", 0, 8),
    ("Aurélie", 2, 18), ("Julie", 8, 18), ("Émilie", 6, 15), ("Camille", 22, 6), ("Léa", 30, 2),
    ("Manon", 26, 2), ("Chloé", 26, 2), ("Emma", 30, 1), ("Inès", 22, 1), ("Jade", 25, 0),
    ("Louise", 24, 1), ("Alice", 22, 2), ("Lina", 15, 0), ("Rose", 12, 1), ("Anna", 14, 2),
    ("Zoé", 20, 1), ("Ambre", 14, 0), ("Mila", 8, 0), ("Léna", 18, 0), ("Juliette", 18, 2),
    ("Lucie", 16, 4), ("Sarah", 18, 6), ("Laura", 12, 6), ("Pauline", 12, 6), ("Marine", 12, 6),
    ("Mathilde", 14, 4), ("Clara", 18, 2), ("Océane", 12, 1), ("Anaïs", 12, 4), ("Noémie", 12, 3),
    ("Gaëlle", 4, 10), ("Maëlle", 10, 1), ("Maëva", 8, 1), ("Lætitia", 1, 8), ("Élodie", 4, 12),
    ("Mélanie", 3, 12), ("Audrey", 2, 12), ("Virginie", 0, 14), ("Karine", 0, 14),
    ("Laurence", 0, 14), ("Martine", 0, 10), ("Monique", 0, 6), ("Nicole", 0, 6), ("Annick", 0, 8),
    ("Soizic", 1, 5), ("Nolwenn", 10, 6), ("Gwenaëlle", 2, 6), ("Morgane", 8, 6), ("Enora", 10, 0),
    ("Rozenn", 3, 3), ("Katell", 3, 3), ("Maïwenn", 8, 1), ("Anne-Sophie", 3, 8),
    ("Marie-Claire", 0, 8), ("Anne-Cécile", 1, 5), ("Marie-Pierre", 0, 6), ("Marie-Laure", 0, 7),
    ("Marie-Christine", 0, 6), ("Marie-Anne", 1, 5), ("Agnès", 1, 8), ("Bérénice", 4, 2),
    ("Capucine", 6, 0), ("Cécile", 2, 12), ("Clémence", 10, 3), ("Constance", 4, 2),
    ("Delphine", 0, 12), ("Éléonore", 6, 1), ("Élise", 10, 3), ("Éva", 14, 1), ("Fanny", 4, 6),
    ("Florence", 0, 12), ("Gabrielle", 8, 1), ("Hortense", 3, 0), ("Jeanne", 14, 3),
    ("Joséphine", 6, 1), ("Justine", 8, 4), ("Léonie", 10, 0), ("Lola", 12, 0), ("Lou", 10, 0),
    ("Louna", 8, 0), ("Maëlys", 10, 0), ("Margaux", 12, 2), ("Margot", 8, 2), ("Mélissa", 6, 2),
    ("Nina", 10, 1), ("Ophélie", 4, 4), ("Romane", 12, 0), ("Salomé", 10, 1), ("Solène", 8, 3),
    ("Tiphaine", 4, 4), ("Victoire", 6, 0), ("Yasmine", 8, 3), ("Aïcha", 5, 4), ("Fatou", 4, 3),
    ("Fatima", 2, 5), ("Amina", 6, 3), ("Myriam", 2, 6), ("Naïma", 2, 4), ("Sonia", 1, 6),
    ("Leïla", 5, 4), ("Linh", 2, 2), ("Béatrice", 0, 8), ("Colette", 0, 3), ("Geneviève", 0, 4),
    ("Odile", 0, 4), ("Claire", 6, 10), ("Thaïs", 6, 0), ("Zélie", 6, 0), ("Héloïse", 8, 1),
    ("Armelle", 0, 6), ("Bleuenn", 3, 0), ("Gwendoline", 2, 3), ("Servane", 1, 3), ("Aude", 1, 6),
    ("Estelle", 2, 8), ("Laure", 2, 8), ("Muriel", 0, 8), ("Nadine", 0, 6), ("Pascale", 0, 8),
    ("Sabrina", 1, 6), ("Corinne", 0, 8), ("Ana", 4, 2), ("Elif", 3, 1), ("Ysaline", 2, 0),
    ("Maïa", 6, 0), ("Garance", 5, 0), ("Apolline", 6, 0), ("Axelle", 6, 2), ("Charlotte", 14, 5),
];

/// Male given names.
#[rustfmt::skip]
pub const MALE: &[Given] = &[
    ("Jean", 3, 30), ("Pierre", 8, 25), ("Michel", 0, 20), ("André", 0, 8), ("Philippe", 0, 25),
    ("Alain", 0, 18), ("Jacques", 0, 12), ("Bernard", 0, 8), ("Patrick", 0, 18), ("Daniel", 1, 12),
    ("Christophe", 0, 25), ("Nicolas", 6, 25), ("Stéphane", 0, 22), ("Éric", 0, 20),
    ("Frédéric", 0, 20), ("Laurent", 0, 22), ("David", 3, 20), ("Olivier", 1, 22),
    ("Sébastien", 1, 20), ("Thierry", 0, 16), ("Pascal", 0, 14), ("Julien", 6, 18),
    ("Thomas", 18, 14), ("Alexandre", 14, 12), ("Guillaume", 8, 14), ("Antoine", 16, 10),
    ("Maxime", 14, 6), ("Hugo", 26, 2), ("Lucas", 26, 2), ("Louis", 26, 3), ("Gabriel", 28, 2),
    ("Léo", 28, 1), ("Raphaël", 24, 2), ("Arthur", 24, 1), ("Jules", 22, 1), ("Adam", 18, 1),
    ("Noah", 16, 0), ("Ethan", 14, 0), ("Nathan", 20, 1), ("Théo", 22, 1), ("Tom", 16, 0),
    ("Paul", 18, 6), ("Enzo", 14, 0), ("Mathis", 14, 0), ("Sacha", 12, 0), ("Timéo", 10, 0),
    ("Mathéo", 10, 0), ("Noé", 12, 0), ("Gaël", 6, 6), ("Yann", 2, 12), ("Erwan", 8, 8),
    ("Loïc", 2, 12), ("Ronan", 4, 8), ("Gwenaël", 2, 6), ("Tristan", 8, 4), ("Corentin", 10, 3),
    ("Brieuc", 4, 2), ("Goulven", 2, 2), ("Maël", 14, 0), ("Malo", 10, 0), ("Tanguy", 3, 6),
    ("Yannick", 0, 10), ("Gwendal", 4, 3), ("Kévin", 2, 8), ("Anthony", 2, 10), ("Romain", 6, 12),
    ("Florian", 4, 8), ("Jérémy", 2, 10), ("Quentin", 8, 8), ("Benjamin", 8, 10),
    ("Clément", 12, 8), ("Adrien", 8, 8), ("Vincent", 4, 16), ("Mathieu", 4, 14),
    ("François", 2, 14), ("Jérôme", 0, 16), ("Hervé", 0, 12), ("Gérard", 0, 6),
    ("Jean-Pierre", 0, 10), ("Jean-Claude", 0, 6), ("Jean-Luc", 0, 8), ("Jean-Marc", 0, 7),
    ("Jean-François", 0, 8), ("Jean-Baptiste", 6, 6), ("Pierre-Yves", 0, 6), ("Pierre-Louis", 4, 2),
    ("Marc-Antoine", 4, 2), ("Benoît", 1, 12), ("Cédric", 0, 12), ("Damien", 1, 10),
    ("Fabien", 0, 10), ("Grégory", 0, 10), ("Ludovic", 0, 10), ("Mickaël", 0, 8), ("Régis", 0, 6),
    ("Rémi", 6, 8), ("Sylvain", 0, 12), ("Xavier", 1, 10), ("Yves", 0, 8), ("Bruno", 0, 10),
    ("Denis", 0, 8), ("Didier", 0, 10), ("Dominique", 0, 6), ("Gilles", 0, 8), ("Serge", 0, 6),
    ("René", 0, 3), ("Marcel", 1, 2), ("Joël", 0, 6), ("Noël", 1, 3), ("Émile", 10, 0),
    ("Étienne", 6, 6), ("Félix", 12, 1), ("Baptiste", 12, 4), ("Valentin", 10, 3),
    ("Victor", 14, 2), ("Simon", 8, 6), ("Samuel", 8, 6), ("Martin", 10, 4), ("Matthieu", 3, 10),
    ("Axel", 10, 1), ("Aurélien", 3, 10), ("Bastien", 6, 6), ("Charles", 8, 4), ("Côme", 4, 0),
    ("Édouard", 4, 2), ("Eliott", 10, 0), ("Gaspard", 8, 0), ("Hippolyte", 2, 0), ("Ismaël", 6, 2),
    ("Joachim", 3, 2), ("Lénaïc", 3, 2), ("Marius", 8, 0), ("Nolan", 10, 0), ("Oscar", 8, 0),
    ("Rayan", 10, 0), ("Mohamed", 8, 8), ("Karim", 2, 8), ("Mehdi", 6, 6), ("Youssef", 6, 3),
    ("Amine", 6, 3), ("Bilal", 5, 2), ("Moussa", 4, 4), ("Mamadou", 4, 4), ("Ibrahim", 5, 3),
    ("Omar", 4, 3), ("Minh", 2, 3), ("Alessandro", 2, 1), ("Diego", 3, 1), ("Augustin", 8, 1),
    ("Thibault", 6, 6), ("Ambroise", 3, 1), ("Anatole", 4, 0), ("Achille", 6, 0), ("Titouan", 8, 0),
    ("Killian", 8, 1), ("Evan", 10, 0), ("Aaron", 8, 0),
];
