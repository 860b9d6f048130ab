"""Demo content for `manage.py load_demo`: categories, authors and articles.

Every text here was written for this demo. People and organisations quoted in the
articles are invented; places are real. Each article gives:
- `days_ago`/`hours_ago`: its publication, counted back from the moment the command runs;
- `popularity`: the daily readership it starts with (the view history decays from it);
- `cover`: whether the command draws a cover image for it.
"""

CATEGORIES = [
    (
        "International",
        "international",
        "Le monde vu depuis le continent, et le continent vu par ses diasporas.",
    ),
    (
        "Afrique",
        "afrique",
        "Reportages et récits d'un bout à l'autre du continent, au-delà des frontières.",
    ),
    (
        "Politique",
        "politique",
        "La vie publique au plus près des citoyens : quartiers, communes, élections, institutions.",
    ),
    (
        "Économie",
        "economie",
        "Marchés, entreprises, emploi et pouvoir d'achat, racontés par ceux qui les vivent.",
    ),
    (
        "Société",
        "societe",
        "Les façons de vivre, de se loger, de se déplacer et de vivre ensemble.",
    ),
    (
        "Culture",
        "culture",
        "Musique, mode, livres, cinéma et patrimoine : la création sous toutes ses formes.",
    ),
    (
        "Sport",
        "sport",
        "Des arènes de quartier aux grandes compétitions, le sport tel qu'on le pratique.",
    ),
    (
        "Santé",
        "sante",
        "Prévention, soins et accès à la santé, avec les soignants et les patients.",
    ),
    (
        "Environnement",
        "environnement",
        "Climat, terres, eau et villes : les changements observés et les réponses locales.",
    ),
    (
        "Sciences et technologies",
        "sciences-et-technologies",
        "Les innovations utiles, les chercheurs du continent et le numérique au quotidien.",
    ),
    (
        "Éducation",
        "education",
        "L'école, l'université, l'alphabétisation et la formation tout au long de la vie.",
    ),
    (
        "Opinions",
        "opinions",
        "Tribunes et points de vue signés : ils n'engagent que leurs auteurs.",
    ),
]

# One colour pair per category, for the generated covers (a gradient from one to the other).
CATEGORY_COLOURS = {
    "international": ((22, 60, 110), (64, 150, 190)),
    "afrique": ((150, 60, 20), (235, 170, 60)),
    "politique": ((90, 20, 30), (200, 70, 70)),
    "economie": ((20, 80, 60), (110, 190, 120)),
    "societe": ((70, 40, 100), (200, 120, 170)),
    "culture": ((120, 30, 90), (245, 150, 60)),
    "sport": ((10, 90, 50), (230, 200, 40)),
    "sante": ((10, 90, 110), (120, 210, 200)),
    "environnement": ((40, 80, 20), (170, 200, 80)),
    "sciences-et-technologies": ((20, 30, 80), (90, 120, 230)),
    "education": ((110, 70, 10), (240, 210, 110)),
    "opinions": ((40, 40, 40), (170, 150, 130)),
}

MODERATOR = {
    "username": "redaction",
    "email": "redaction@example.org",
    "display_name": "La rédaction",
    "account_kind": "professionnel",
    "organisation": "Notre Continent",
    "bio": "L'équipe qui relit les articles avant leur publication.",
}

AUTHORS = [
    {
        "username": "aminata.diallo",
        "email": "aminata.diallo@example.org",
        "display_name": "Aminata Diallo",
        "account_kind": "particulier",
        "organisation": "",
        "bio": (
            "Professeure de français à Pikine, dans la banlieue de Dakar. J'écris sur la vie "
            "de mon quartier, les transports et tout ce qui fait le quotidien des familles."
        ),
    },
    {
        "username": "kofi.mensah",
        "email": "kofi.mensah@example.org",
        "display_name": "Kofi Mensah",
        "account_kind": "professionnel",
        "organisation": "Mensah Media",
        "bio": (
            "Journaliste indépendant basé à Accra, francophone par passion. Économie, "
            "commerce transfrontalier et sport, entre le Ghana, le Togo et la Côte d'Ivoire."
        ),
    },
    {
        "username": "jeanne.ouedraogo",
        "email": "jeanne.ouedraogo@example.org",
        "display_name": "Jeanne Ouédraogo",
        "account_kind": "particulier",
        "organisation": "",
        "bio": (
            "Étudiante en sciences de l'éducation à Ouagadougou. Je m'intéresse à l'école, "
            "aux jeunes et au numérique."
        ),
    },
    {
        "username": "sahel-vert",
        "email": "contact@sahel-vert.example.org",
        "display_name": "Collectif Sahel Vert",
        "account_kind": "association",
        "organisation": "Collectif Sahel Vert",
        "bio": (
            "Association de reboisement et de gestion de l'eau fondée par des agriculteurs "
            "et des enseignants de la région de Louga. Nos membres écrivent depuis le terrain."
        ),
    },
    {
        "username": "sante-pour-tous",
        "email": "communication@sante-pour-tous.example.org",
        "display_name": "Santé pour tous Afrique de l'Ouest",
        "account_kind": "ong",
        "organisation": "Santé pour tous Afrique de l'Ouest",
        "bio": (
            "ONG de santé communautaire présente au Sénégal, au Mali et en Guinée : formation "
            "d'agents de santé, prévention du paludisme, santé maternelle et mentale."
        ),
    },
]

ARTICLES = [
    {
        "slug": "paludisme-course-contre-la-montre-agents-de-sante",
        "title": "Paludisme : la saison des pluies, course contre la montre pour les agents de santé",
        "category": "sante",
        "author": "sante-pour-tous",
        "featured": True,
        "days_ago": 0,
        "hours_ago": 3,
        "popularity": 95,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Dans les villages de la région de Kolda, des femmes et des hommes formés aux "
            "premiers soins font des kilomètres chaque jour pour dépister la fièvre avant "
            "qu'elle ne devienne grave. Nous les avons suivis une semaine."
        ),
        "body": """
<p>Il est six heures et demie quand Mariama Baldé enfourche sa moto. Dans la sacoche, des tests de diagnostic rapide, des comprimés, un carnet à spirale et un thermomètre. Agente de santé communautaire depuis huit ans, elle couvre quatre villages autour de Kolda, en Casamance. « Pendant la saison sèche, je passe une fois par semaine. Dès les premières pluies, c'est tous les jours », résume-t-elle.</p>
<p>La saison des pluies, qui s'installe de juillet à octobre, est aussi celle des moustiques. Les flaques qui ne sèchent plus deviennent des nids à larves, et les cas de paludisme se multiplient, surtout chez les enfants de moins de cinq ans et les femmes enceintes.</p>
<h2>Dépister tôt, traiter vite</h2>
<p>Le principe du travail de Mariama est simple : un enfant qui a de la fièvre doit être testé le jour même. Si le test est positif et que l'enfant ne présente pas de signe de gravité, elle commence le traitement sur place. Sinon, elle organise le transfert vers le poste de santé, à onze kilomètres.</p>
<ul>
<li>une piqûre au bout du doigt et quinze minutes d'attente pour le résultat ;</li>
<li>un traitement de trois jours, dont elle vérifie la prise en repassant ;</li>
<li>un signalement au poste de santé pour chaque cas, positif ou non.</li>
</ul>
<p>« Avant, les familles attendaient de voir si la fièvre passait. Maintenant, elles m'appellent. Parfois à minuit », sourit-elle.</p>
<h2>Des moustiquaires, mais pas seulement</h2>
<p>Les moustiquaires imprégnées ont été distribuées largement, mais beaucoup sont trouées ou servent à protéger les semis. Les agents passent donc aussi du temps à expliquer, à recoudre et à convaincre. « Une moustiquaire, ce n'est utile que si on dort dessous toutes les nuits, même quand il fait chaud », insiste Mariama.</p>
<blockquote><p>Le plus dur, ce n'est pas la route. C'est de savoir qu'un enfant aurait pu être soigné si on était arrivés un jour plus tôt.</p></blockquote>
<p>Notre ONG forme chaque année de nouveaux agents et finance le carburant de leurs tournées. Leur présence ne remplace pas un système de santé solide, mais elle en est le premier maillon, celui qui frappe à la porte.</p>
""",
    },
    {
        "slug": "corridor-abidjan-lagos-sur-la-route",
        "title": "Abidjan–Lagos : nous avons pris la route du corridor, voici ce que nous avons vu",
        "category": "afrique",
        "author": "kofi.mensah",
        "featured": True,
        "days_ago": 1,
        "hours_ago": 5,
        "popularity": 80,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Mille kilomètres, cinq pays, des dizaines de contrôles : le corridor qui relie "
            "Abidjan à Lagos est l'une des routes les plus fréquentées d'Afrique de l'Ouest. "
            "Carnet de voyage d'un trajet en car et en taxi-brousse."
        ),
        "body": """
<p>Le car quitte la gare d'Adjamé un peu avant l'aube. À bord, des commerçantes qui vont acheter du tissu à Lomé, un étudiant qui rentre à Cotonou, deux mécaniciens qui convoient des pièces détachées. Tous connaissent la route par cœur. Pour moi, c'est la première fois que je la fais d'un bout à l'autre.</p>
<h2>Une route, cinq pays</h2>
<p>Entre Abidjan et Lagos, on traverse la Côte d'Ivoire, le Ghana, le Togo, le Bénin et le Nigeria. Sur la carte, c'est une ligne presque droite le long de la côte. Dans la réalité, c'est une succession de postes frontières, de péages, de marchés au bord de la chaussée et de ralentissements à l'entrée des villes.</p>
<p>À chaque frontière, le même rituel : tout le monde descend, les passeports et les cartes d'identité passent de main en main, les bagages sont parfois fouillés. À Noé, à la frontière ghanéenne, nous attendons près de deux heures. À Aflao, à l'entrée de Lomé, un peu moins.</p>
<h2>Ce que disent les voyageurs</h2>
<p>Adjoa, qui fait le trajet deux fois par mois pour son commerce de pagnes, tient la comptabilité de ses voyages dans un petit cahier :</p>
<ul>
<li>le billet de car, qu'elle connaît à l'avance ;</li>
<li>les frais de manutention à chaque frontière ;</li>
<li>les « petits frais », qu'elle note à part et qu'elle aimerait voir disparaître.</li>
</ul>
<blockquote><p>Les textes disent que nous pouvons circuler librement. Sur la route, chacun a sa propre lecture des textes.</p></blockquote>
<p>Les choses changent pourtant. Plusieurs postes ont été regroupés pour que les contrôles des deux pays se fassent au même endroit, et les voyageurs réguliers le remarquent. « C'est plus rapide qu'il y a cinq ans, reconnaît Adjoa. Mais ce n'est pas encore une route sans frontières. »</p>
<p>Nous arrivons à Lagos le lendemain soir, après trente-deux heures de voyage. Dans la gare routière de Jibowu, le bruit et la chaleur nous accueillent. Adjoa est déjà repartie vers le marché. Elle reprendra la route dans dix jours.</p>
""",
    },
    {
        "slug": "grande-muraille-verte-faire-survivre-les-arbres",
        "title": "Grande Muraille verte : au Sahel, planter ne suffit pas, il faut faire survivre",
        "category": "environnement",
        "author": "sahel-vert",
        "days_ago": 2,
        "hours_ago": 2,
        "popularity": 70,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Collectif Sahel Vert",
        "creator_credit": "Ousmane Ka, membre du collectif",
        "summary": (
            "Depuis dix ans, notre collectif plante des arbres dans la région de Louga. Le "
            "vrai travail commence après la plantation : arroser, protéger, convaincre. "
            "Retour d'expérience."
        ),
        "body": """
<p>Le projet de <a href="https://fr.wikipedia.org/wiki/Grande_Muraille_verte_(Afrique)">Grande Muraille verte</a> est souvent résumé par une image : une bande d'arbres qui traverserait l'Afrique d'ouest en est pour arrêter le désert. Sur le terrain, à Louga, nous savons que la réalité est plus modeste et plus exigeante.</p>
<h2>Le chiffre qui compte</h2>
<p>Planter un arbre prend dix minutes. Le faire vivre prend trois ans. Les premières années, nous comptions les plants mis en terre et nous étions fiers de nos chiffres. Puis nous avons commencé à compter ceux qui étaient encore debout deux saisons plus tard. Le résultat nous a fait changer de méthode.</p>
<p>Aujourd'hui, nous ne plantons que ce que nous pouvons suivre. Chaque parcelle a un responsable dans le village, qui note l'état des plants à chaque passage.</p>
<h2>Ce qui a marché chez nous</h2>
<ol>
<li>Choisir des espèces locales que les habitants connaissent et utilisent : le jujubier, le baobab, l'acacia du Sénégal.</li>
<li>Planter au début des pluies, jamais avant, et creuser des demi-lunes pour retenir l'eau.</li>
<li>Clôturer avec des haies vives plutôt qu'avec du grillage, qui finit toujours par disparaître.</li>
<li>Associer les éleveurs dès le départ, pour que les troupeaux contournent les parcelles.</li>
</ol>
<blockquote><p>Un arbre que personne ne considère comme le sien ne passe pas la première saison sèche.</p></blockquote>
<p>Nous ne prétendons pas arrêter le désert. Mais autour de trois villages, des champs qui ne donnaient plus rien produisent à nouveau du mil et de l'arachide, à l'ombre d'arbres qui ont maintenant sept ans. C'est peu à l'échelle du Sahel. C'est beaucoup pour les familles qui y vivent.</p>
""",
    },
    {
        "slug": "tontines-numeriques-epargne-au-telephone",
        "title": "Tontines numériques : l'épargne collective passe au téléphone",
        "category": "economie",
        "author": "kofi.mensah",
        "days_ago": 3,
        "hours_ago": 4,
        "popularity": 60,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "La tontine, cette caisse commune où chacun cotise et reçoit à son tour, "
            "s'installe dans les applications de paiement mobile. Les membres y gagnent en "
            "simplicité, mais perdent parfois ce qui faisait la force du groupe."
        ),
        "body": """
<p>Chaque fin de mois, à Lomé, Akossiwa réunissait douze collègues autour d'une table pour collecter les cotisations de leur tontine. Depuis un an, plus de réunion : les versements se font par paiement mobile et un groupe de messagerie sert de registre.</p>
<p>« On gagne du temps, et personne ne se promène avec une grosse somme en liquide », explique-t-elle. Le principe, lui, n'a pas changé : chacun verse la même somme, et chaque mois, un membre reçoit la cagnotte.</p>
<h2>Des applications dédiées</h2>
<p>Plusieurs jeunes entreprises proposent désormais des applications qui automatisent le tour de rôle, rappellent les échéances et gardent l'historique des versements. Certaines prélèvent une petite commission, d'autres se rémunèrent autrement.</p>
<p>Pour les utilisateurs, les avantages sont clairs :</p>
<ul>
<li>des membres qui peuvent vivre dans des villes, voire des pays différents ;</li>
<li>un historique que personne ne peut contester ;</li>
<li>moins de risque de perte ou de vol d'argent liquide.</li>
</ul>
<h2>La confiance ne se programme pas</h2>
<p>Mais la tontine n'est pas qu'un outil financier. Ses réunions étaient aussi un moment de solidarité : on y apprenait qu'une collègue avait un enfant malade, on y décidait d'avancer son tour à quelqu'un qui en avait besoin.</p>
<blockquote><p>Le téléphone sait qui a payé. Il ne sait pas qui traverse un mauvais mois.</p></blockquote>
<p>Dans le groupe d'Akossiwa, on a trouvé un compromis : les paiements sont numériques, mais une fois par trimestre, tout le monde se retrouve pour un repas. La cagnotte, elle, ne paie pas l'addition.</p>
""",
    },
    {
        "slug": "cars-rapides-dakar-derniers-apprentis",
        "title": "Dans les cars rapides de Dakar, la dernière génération d'apprentis",
        "category": "societe",
        "author": "aminata.diallo",
        "creator_credit": "Moussa Sarr",
        "days_ago": 4,
        "hours_ago": 1,
        "popularity": 55,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Les cars rapides bleus et jaunes disparaissent peu à peu des rues de Dakar, "
            "remplacés par des bus modernes. Moussa, apprenti depuis l'âge de quatorze ans, "
            "raconte un métier qui s'éteint."
        ),
        "body": """
<p>Ce texte a été écrit par Moussa Sarr, un ancien élève, que j'ai aidé à le mettre en forme. Je le publie sur mon compte avec son accord.</p>
<p>J'ai commencé à quatorze ans, sur la ligne qui va de Pikine au marché Sandaga. L'apprenti, c'est celui qui se tient à l'arrière du car rapide, accroché à la porte, qui crie la destination et encaisse les pièces. On apprend vite à rendre la monnaie d'une main en se tenant de l'autre.</p>
<h2>Un métier de la rue</h2>
<p>Le car rapide est décoré à la main : des noms de marabouts, des proverbes, des yeux peints pour protéger le véhicule. Chaque chauffeur a son style. Le mien avait écrit « Alhamdoulilah » en grandes lettres sur le capot. Les passagers nous connaissaient, les commerçants aussi.</p>
<p>Le travail est dur. On commence avant le lever du soleil, on finit à la nuit, et on est payé à la journée, selon la recette. Mais c'est aussi une école : on apprend la ville, les gens, la négociation.</p>
<h2>Ce qui change</h2>
<p>Depuis quelques années, les vieux cars sont retirés de la circulation et remplacés par des minibus et des bus plus récents, avec des arrêts fixes et des tickets. C'est plus sûr et plus confortable, je le reconnais. Ma mère ne s'inquiète plus quand elle prend le bus.</p>
<blockquote><p>Les nouveaux bus n'ont pas besoin d'apprentis. Ils ont besoin de contrôleurs, et ce n'est pas le même métier.</p></blockquote>
<p>Certains de mes amis sont devenus chauffeurs, d'autres vendent des crédits téléphoniques. Moi, je passe mon permis. Mais je garde une photo de mon car, avec ses couleurs, pour mes enfants. Pour qu'ils sachent comment on traversait Dakar.</p>
""",
    },
    {
        "slug": "bibliotheque-conteneur-ouagadougou",
        "title": "Une bibliothèque dans un conteneur : le pari réussi d'un quartier de Ouagadougou",
        "category": "culture",
        "author": "jeanne.ouedraogo",
        "days_ago": 5,
        "hours_ago": 6,
        "popularity": 50,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Un conteneur maritime repeint, trois étagères, deux mille livres et une bénévole "
            "infatigable : dans le quartier de Tanghin, la lecture a trouvé une adresse."
        ),
        "body": """
<p>De loin, on croirait un magasin comme les autres. De près, on voit les enfants assis sur des nattes, un livre ouvert sur les genoux. La bibliothèque de Tanghin occupe un conteneur de douze mètres, peint en vert et orange, installé dans la cour d'une école primaire.</p>
<p>L'idée est venue de Rasmata, institutrice à la retraite. « Les enfants savaient lire, mais ils n'avaient rien à lire à la maison. Un manuel scolaire, ce n'est pas une histoire qu'on a envie de finir. »</p>
<h2>Des livres venus de partout</h2>
<p>Les premiers ouvrages ont été donnés par des familles du quartier, puis par des écrivains burkinabè et des maisons d'édition du continent. Rasmata a une règle : au moins la moitié des livres doivent être écrits par des auteurs africains.</p>
<ul>
<li>des albums illustrés pour les plus petits, certains en mooré ;</li>
<li>des romans et des bandes dessinées pour les collégiens ;</li>
<li>des manuels pratiques pour les adultes : couture, élevage, comptabilité.</li>
</ul>
<h2>Un lieu, pas seulement des livres</h2>
<p>Le mercredi après-midi, une lecture à voix haute rassemble parfois quarante enfants. Le samedi, des lycéens viennent réviser au calme. La carte d'inscription coûte le prix d'un sachet d'eau par mois, pour que chacun se sente chez lui sans que personne ne soit exclu.</p>
<blockquote><p>Un livre prêté qui revient abîmé, c'est un livre qui a été lu. Je préfère ça à un livre neuf sur une étagère.</p></blockquote>
<p>Deux autres quartiers ont demandé à Rasmata de les aider à ouvrir leur propre conteneur. Elle cherche maintenant des bénévoles pour l'été. Les candidats n'ont besoin que d'une chose, dit-elle : aimer les histoires.</p>
""",
    },
    {
        "slug": "lutte-senegalaise-arene-de-quartier",
        "title": "Lutte sénégalaise : dans l'arène de quartier, les champions de demain",
        "category": "sport",
        "author": "aminata.diallo",
        "days_ago": 6,
        "hours_ago": 3,
        "popularity": 48,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Loin des grands combats télévisés, la lutte se pratique chaque dimanche sur le "
            "sable des terrains vagues. À Guédiawaye, une écurie forme des adolescents au sport "
            "national, et à ses règles."
        ),
        "body": """
<p>Le sable a été ratissé le matin même. Autour du cercle tracé à la craie, les tambours de sabar commencent à chauffer dès quinze heures. Ce dimanche, à Guédiawaye, l'écurie du quartier organise ses combats d'entraînement, ouverts à tous.</p>
<p>La lutte sénégalaise est bien plus qu'un sport de force. Elle mêle la lutte au corps à corps, les chants, les danses et les rituels. Avant le combat, les lutteurs paradent, esquissent quelques pas, se font bénir. Le public connaît chaque geste.</p>
<h2>Une école de discipline</h2>
<p>Maître Babacar, ancien lutteur, entraîne une trentaine de jeunes de douze à vingt ans. Ses règles sont affichées sur le mur du local :</p>
<ul>
<li>pas d'entraînement sans être allé à l'école ou au travail dans la journée ;</li>
<li>respect de l'adversaire, avant, pendant et après le combat ;</li>
<li>pas de produit miracle : seulement le travail, l'eau et la nourriture de la maison.</li>
</ul>
<p>« Beaucoup de jeunes rêvent des gros cachets des vedettes. Je leur dis que sur cent, un seul vivra de la lutte. Les quatre-vingt-dix-neuf autres doivent repartir d'ici avec autre chose : la discipline, le respect, un corps en bonne santé. »</p>
<blockquote><p>On peut perdre un combat. On ne doit pas perdre sa dignité.</p></blockquote>
<p>En fin d'après-midi, le plus jeune du groupe, quinze ans, fait tomber un adversaire plus lourd que lui. Les tambours redoublent. Sa mère, assise au premier rang, se lève et danse. Ce soir, tout le quartier parlera de lui.</p>
""",
    },
    {
        "slug": "conseils-de-quartier-pikine",
        "title": "Conseils de quartier : à Pikine, les habitants reprennent la parole",
        "category": "politique",
        "author": "aminata.diallo",
        "days_ago": 7,
        "hours_ago": 5,
        "popularity": 40,
        "cover": False,
        "summary": (
            "Une fois par mois, la mairie d'arrondissement réunit les habitants pour discuter "
            "des priorités : éclairage, assainissement, marchés. Première expérience de "
            "démocratie locale, avec ses réussites et ses limites."
        ),
        "body": """
<p>La salle polyvalente est pleine un mardi soir. Au premier rang, des chefs de quartier en boubou ; au fond, des jeunes debout, le téléphone à la main. Au centre, un tableau blanc où un agent de la mairie note les demandes au feutre bleu.</p>
<p>Le conseil de quartier est une idée simple : donner aux habitants un moment régulier pour parler directement aux élus et aux services municipaux. À Pikine, l'expérience a commencé il y a un an.</p>
<h2>Ce qui a été obtenu</h2>
<ul>
<li>l'éclairage de la rue qui mène au collège, réclamé par les parents d'élèves ;</li>
<li>un calendrier public du curage des canaux avant l'hivernage ;</li>
<li>un emplacement réservé aux vendeuses de légumes, à l'abri de la circulation.</li>
</ul>
<h2>Ce qui bloque encore</h2>
<p>Les participants soulignent que les décisions importantes, celles qui coûtent cher, se prennent ailleurs. « On nous écoute sur les lampadaires, pas sur le budget », regrette un enseignant. La question des inondations, qui touchent chaque année plusieurs rues, revient à chaque séance sans réponse satisfaisante.</p>
<blockquote><p>Le jour où l'on nous montrera le budget ligne par ligne, nous saurons que ce conseil est vraiment le nôtre.</p></blockquote>
<p>La mairie promet de publier, l'an prochain, la part du budget consacrée aux demandes du conseil. Les habitants, eux, ont pris l'habitude de venir. C'est peut-être la première victoire.</p>
""",
    },
    {
        "slug": "prix-du-sac-de-riz-barometre",
        "title": "Le prix du sac de riz, baromètre de nos fins de mois",
        "category": "economie",
        "author": "aminata.diallo",
        "days_ago": 8,
        "hours_ago": 2,
        "popularity": 45,
        "cover": False,
        "summary": (
            "Dans beaucoup de foyers sénégalais, on achète le riz par sac de cinquante kilos. "
            "Quand son prix bouge, c'est tout le budget de la famille qui se réorganise."
        ),
        "body": """
<p>Chez nous, on ne parle pas d'inflation. On parle du prix du sac. Le riz est à la base du repas de midi presque tous les jours, et beaucoup de familles l'achètent par sac de cinquante kilos, au début du mois, quand le salaire tombe.</p>
<p>J'ai demandé à cinq familles de mon quartier comment elles s'organisent quand ce prix augmente. Leurs réponses se ressemblent.</p>
<h2>Les stratégies des familles</h2>
<ol>
<li>Acheter à plusieurs : deux ou trois voisines partagent un sac et le prix de gros.</li>
<li>Alterner : le mil, le maïs ou le fonio remplacent le riz un ou deux jours par semaine.</li>
<li>Réduire ailleurs : moins de viande ou de poisson dans la sauce, plus de légumes.</li>
<li>Acheter à crédit chez le boutiquier, qui note tout dans son cahier.</li>
</ol>
<p>Le boutiquier de ma rue, justement, voit passer ces variations avant tout le monde. « Quand les clients commencent à acheter au kilo au lieu du sac, je sais que le mois est difficile », m'explique-t-il.</p>
<h2>Manger local, une solution ?</h2>
<p>Le riz produit dans la vallée du fleuve Sénégal est de plus en plus présent sur les étals. Certaines familles l'ont adopté ; d'autres trouvent qu'il ne cuit pas de la même façon. Les habitudes de cuisine changent lentement.</p>
<blockquote><p>Ma grand-mère cuisinait le mil tous les jours. Nous l'avons oublié, et maintenant nous le redécouvrons parce que le riz coûte trop cher.</p></blockquote>
<p>Le prix du sac ne fait pas les gros titres. Pourtant, il raconte mieux que n'importe quelle statistique la vie réelle de nos quartiers.</p>
""",
    },
    {
        "slug": "football-feminin-accra-tribunes",
        "title": "Le football féminin gagne ses tribunes à Accra",
        "category": "sport",
        "author": "kofi.mensah",
        "days_ago": 9,
        "hours_ago": 7,
        "popularity": 35,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Il y a quelques années, les matches du championnat féminin se jouaient devant "
            "quelques dizaines de parents. Aujourd'hui, des supporters viennent en bus. "
            "Reportage un jour de match."
        ),
        "body": """
<p>Le stade n'est pas plein, mais il n'est plus vide. Ce samedi après-midi, plusieurs centaines de spectateurs sont venus voir le match entre deux clubs de la capitale ghanéenne. Dans les tribunes, des familles, des groupes de lycéennes, et un petit orchestre de cuivres qui ne s'arrête jamais.</p>
<p>« Quand j'ai commencé, on jouait devant nos mères et nos frères », raconte Efua, milieu de terrain de vingt-six ans. « Maintenant, des petites filles me demandent de signer leur maillot. »</p>
<h2>Ce qui a changé</h2>
<ul>
<li>des matches retransmis en direct sur internet par des passionnés ;</li>
<li>des écoles qui créent des équipes de filles dès le primaire ;</li>
<li>des joueuses qui racontent leur quotidien sur les réseaux sociaux.</li>
</ul>
<h2>Ce qui manque encore</h2>
<p>Les salaires restent modestes, quand ils existent. Beaucoup de joueuses travaillent à côté : coiffeuse, vendeuse, étudiante. Les terrains d'entraînement sont partagés avec les équipes masculines, qui passent souvent en premier.</p>
<blockquote><p>On ne nous demande pas d'être aussi bonnes que les hommes. On nous demande d'être meilleures avec moins.</p></blockquote>
<p>Le match se termine sur un score de deux buts à un. L'orchestre joue encore longtemps après le coup de sifflet final. Efua, elle, reste sur la pelouse pour les photos. Elle a une séance d'entraînement à six heures le lendemain.</p>
""",
    },
    {
        "slug": "sante-mentale-briser-le-silence-familles",
        "title": "Santé mentale : briser le silence dans les familles",
        "category": "sante",
        "author": "sante-pour-tous",
        "creator_credit": "Fatou Kane, psychologue",
        "days_ago": 10,
        "hours_ago": 4,
        "popularity": 42,
        "cover": False,
        "summary": (
            "Dépression, anxiété, troubles après un deuil : beaucoup de familles ne savent pas "
            "à qui parler. Une psychologue qui anime des groupes de parole à Bamako partage ce "
            "qu'elle a appris."
        ),
        "body": """
<p>« Il est fatigué », « elle est trop sensible », « c'est le mauvais œil ». Pendant des années, j'ai entendu ces phrases dans mon cabinet, prononcées par des parents qui amenaient un fils ou une fille sans vraiment savoir pourquoi. Derrière ces mots, il y avait souvent une dépression que personne n'osait nommer.</p>
<h2>Parler en groupe</h2>
<p>Depuis trois ans, avec l'ONG, j'anime des groupes de parole dans deux quartiers de Bamako. Une dizaine de personnes, une fois par semaine, assises en cercle. Il n'y a pas de blouse blanche, pas de bureau. Juste du thé et une règle : ce qui est dit ici reste ici.</p>
<p>Les participants viennent pour eux-mêmes ou pour un proche. Beaucoup me disent que c'est la première fois qu'ils parlent de ce qu'ils ressentent sans être jugés.</p>
<h2>Quelques signes à ne pas négliger</h2>
<ul>
<li>un sommeil qui change brusquement, trop ou pas assez ;</li>
<li>un proche qui s'isole et abandonne ce qu'il aimait faire ;</li>
<li>des paroles de découragement qui reviennent souvent ;</li>
<li>une fatigue qui ne s'explique par aucune maladie.</li>
</ul>
<p>Aucun de ces signes ne suffit à poser un diagnostic, mais ensemble, ils méritent qu'on en parle à un soignant.</p>
<blockquote><p>Une famille qui écoute sauve plus de vies qu'elle ne le croit.</p></blockquote>
<p>Les soins spécialisés restent rares et concentrés dans les grandes villes. C'est pourquoi nous formons aussi des agents de santé communautaires à repérer ces situations et à orienter les familles. Le premier pas, lui, se fait à la maison, le jour où quelqu'un accepte de dire : « Je ne vais pas bien. »</p>
""",
    },
    {
        "slug": "saint-louis-langue-de-barbarie-face-a-la-mer",
        "title": "Saint-Louis face à la mer : les quartiers de la Langue de Barbarie s'organisent",
        "category": "environnement",
        "author": "sahel-vert",
        "days_ago": 11,
        "hours_ago": 3,
        "popularity": 38,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Collectif Sahel Vert",
        "summary": (
            "Sur la bande de sable qui sépare le fleuve de l'océan, l'érosion a emporté des "
            "maisons entières. Les familles de pêcheurs cherchent à rester proches de la mer "
            "tout en s'en protégeant."
        ),
        "body": """
<p>À Guet Ndar, quartier de pêcheurs de Saint-Louis, on mesure le temps en rangées de maisons. « Quand j'étais enfant, il y avait trois rangées entre chez nous et la plage », raconte Ndèye, soixante ans. « Aujourd'hui, il n'y en a plus aucune. »</p>
<p>La Langue de Barbarie est une étroite bande de sable entre le fleuve Sénégal et l'Atlantique. Les tempêtes de plus en plus fortes et la montée du niveau de la mer la grignotent année après année.</p>
<h2>Partir ou rester</h2>
<p>Des familles ont été relogées sur le continent, à plusieurs kilomètres. Mais pour un pêcheur, s'éloigner de la mer, c'est perdre son travail. Certains reviennent donc chaque jour, d'autres sont restés dans des maisons menacées.</p>
<h2>Les initiatives locales</h2>
<ul>
<li>des comités de quartier qui surveillent les marées et préviennent les familles ;</li>
<li>des plantations de filao et de végétation de dune pour fixer le sable ;</li>
<li>des ateliers avec les jeunes pour cartographier les zones les plus exposées.</li>
</ul>
<p>Notre collectif, habitué au reboisement dans l'intérieur du pays, a rejoint l'une de ces initiatives pour partager ce que nous savons des plantations en milieu difficile. Ici, l'ennemi n'est pas la sécheresse mais le sel et le vent.</p>
<blockquote><p>La mer nous a tout donné. Nous ne voulons pas lui tourner le dos, seulement ne plus avoir peur d'elle la nuit.</p></blockquote>
<p>Les solutions durables, digues, relogement choisi, protection des dunes, dépendent des pouvoirs publics. Mais les habitants ont appris qu'attendre ne suffit pas. Ils s'organisent, et ils demandent à être associés aux décisions qui les concernent.</p>
""",
    },
    {
        "slug": "capteurs-bas-cout-qualite-de-l-air",
        "title": "Des capteurs à bas coût pour mesurer l'air de nos villes",
        "category": "sciences-et-technologies",
        "author": "kofi.mensah",
        "days_ago": 12,
        "hours_ago": 6,
        "popularity": 30,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Poussière, fumée des moteurs et des fourneaux : la pollution de l'air est "
            "rarement mesurée dans nos villes. Des étudiants d'Accra fabriquent leurs propres "
            "stations de mesure."
        ),
        "body": """
<p>Le boîtier tient dans une main : un petit capteur de particules, une carte électronique, un panneau solaire de la taille d'un téléphone. Fixé au balcon d'une école de Madina, dans la banlieue d'Accra, il envoie une mesure toutes les cinq minutes.</p>
<p>C'est l'œuvre d'un club d'étudiants en électronique qui a décidé de s'attaquer à une question que tout le monde se pose sans avoir de réponse : l'air que nous respirons est-il dangereux ?</p>
<h2>Comment ça marche</h2>
<ol>
<li>Le capteur aspire un peu d'air et compte les particules fines grâce à un faisceau laser.</li>
<li>La carte électronique calcule une moyenne et l'envoie par le réseau mobile.</li>
<li>Un site web affiche les mesures de toutes les stations sur une carte.</li>
</ol>
<h2>Les limites, assumées</h2>
<p>Ces capteurs ne remplacent pas les stations officielles, bien plus précises et bien plus chères. L'humidité, fréquente sur la côte, fausse parfois les mesures. Les étudiants le savent et comparent régulièrement leurs boîtiers à un appareil de référence prêté par l'université.</p>
<blockquote><p>Une mesure imparfaite vaut mieux que pas de mesure du tout, à condition de dire clairement qu'elle est imparfaite.</p></blockquote>
<p>Les premiers résultats confirment ce que les habitants ressentaient : les pics de pollution arrivent aux heures de pointe et pendant l'harmattan. Le club aimerait maintenant installer des stations près des écoles, pour que les parents et les enseignants disposent eux aussi de ces informations.</p>
""",
    },
    {
        "slug": "langues-africaines-claviers-telephone",
        "title": "Les langues africaines entrent dans les claviers de téléphone",
        "category": "sciences-et-technologies",
        "author": "jeanne.ouedraogo",
        "days_ago": 13,
        "hours_ago": 2,
        "popularity": 28,
        "cover": False,
        "summary": (
            "Écrire en mooré, en wolof ou en bambara sur son téléphone était un casse-tête : "
            "lettres spéciales introuvables, correcteur qui s'obstine. Des passionnés "
            "développent des claviers adaptés."
        ),
        "body": """
<p>Essayez d'écrire le mot mooré « sõore » sur un téléphone ordinaire : le « õ » n'est pas sur le clavier, et le correcteur automatique le transforme aussitôt en « sorte ». Pour des millions de personnes, écrire dans sa langue maternelle sur un écran a longtemps été une bataille perdue d'avance.</p>
<h2>Des claviers faits maison</h2>
<p>Des linguistes et des développeurs, souvent bénévoles, ont commencé à créer des claviers adaptés. Le principe : placer les lettres spéciales à portée de doigt, et proposer des mots fréquents pour accélérer la saisie.</p>
<ul>
<li>des lettres comme ɛ, ɔ ou ŋ accessibles en un appui long ;</li>
<li>des dictionnaires construits à partir de textes libres de droits ;</li>
<li>des applications gratuites, qui fonctionnent sans connexion.</li>
</ul>
<h2>Pourquoi c'est important</h2>
<p>Dans mon université, beaucoup d'étudiants écrivent à leurs parents dans un mélange de français et de langue nationale, avec une orthographe inventée faute de mieux. Un bon clavier, c'est la possibilité d'écrire correctement la langue qu'on parle à la maison.</p>
<blockquote><p>Une langue qu'on ne peut pas écrire sur son téléphone devient, peu à peu, une langue qu'on n'écrit plus du tout.</p></blockquote>
<p>Le chemin est encore long : les correcteurs orthographiques et la dictée vocale restent rares pour la plupart de nos langues. Mais chaque mot ajouté à un dictionnaire libre est une petite victoire, et chacun peut y contribuer.</p>
""",
    },
    {
        "slug": "tribune-trottoirs-pas-seulement-echangeurs",
        "title": "Tribune : nos villes ont besoin de trottoirs, pas seulement d'échangeurs",
        "category": "opinions",
        "author": "aminata.diallo",
        "days_ago": 14,
        "hours_ago": 5,
        "popularity": 33,
        "cover": False,
        "summary": (
            "On inaugure des autoroutes et des ponts, mais la majorité des habitants se "
            "déplace à pied, sur des bas-côtés encombrés. Plaidoyer pour la marche, premier "
            "mode de transport de nos villes."
        ),
        "body": """
<p>Chaque matin, je marche vingt-cinq minutes pour aller au collège où j'enseigne. Sur ce trajet, je compte les obstacles : des voitures garées, des étals, des flaques, du sable, un trou que personne ne rebouche depuis deux ans. Je ne suis pas une exception. Dans nos villes, la plupart des gens se déplacent à pied, au moins pour une partie de leur trajet.</p>
<h2>Les grands oubliés</h2>
<p>Les grands projets d'infrastructure sont utiles, je ne le conteste pas. Mais ils sont pensés pour ceux qui ont une voiture. Le piéton, lui, doit se débrouiller : traverser des voies rapides sans passage, marcher sur la chaussée parce que le trottoir n'existe pas.</p>
<p>Les premiers à en souffrir sont les enfants qui vont à l'école, les personnes âgées et les personnes handicapées. Une poussette ou un fauteuil roulant sont presque impossibles à utiliser dans certains quartiers.</p>
<h2>Ce que je propose</h2>
<ol>
<li>Un trottoir continu et praticable autour de chaque école, en priorité.</li>
<li>Des passages piétons visibles et des ralentisseurs devant les établissements scolaires.</li>
<li>Des arbres le long des rues pour marcher à l'ombre.</li>
<li>Une part fixe de chaque budget routier consacrée aux piétons.</li>
</ol>
<blockquote><p>Une ville se juge à la façon dont elle traite ceux qui n'ont pas de voiture.</p></blockquote>
<p>Ce ne sont pas des projets spectaculaires. Ils ne donneront lieu à aucune inauguration. Mais ils changeraient la vie de millions de personnes, chaque jour, dès le premier pas hors de chez elles.</p>
""",
    },
    {
        "slug": "tribune-journalisme-citoyen-pas-ennemi",
        "title": "Tribune : le journalisme citoyen n'est pas l'ennemi du journalisme",
        "category": "opinions",
        "author": "kofi.mensah",
        "days_ago": 15,
        "hours_ago": 3,
        "popularity": 25,
        "cover": False,
        "summary": (
            "Journaliste de métier, je publie aussi sur une plateforme citoyenne. Certains "
            "confrères me le reprochent. Je pense au contraire que nous avons tout à gagner à "
            "travailler ensemble."
        ),
        "body": """
<p>Quand j'ai dit à un ancien collègue que je publiais des articles sur une plateforme ouverte à tous, il a levé les yeux au ciel. « Tu donnes la parole à n'importe qui. » C'est justement le but, lui ai-je répondu. Et ce n'est pas une menace pour notre métier.</p>
<h2>Ce que les citoyens voient avant nous</h2>
<p>Une rue inondée, un marché qui ferme, une école sans enseignant depuis la rentrée : ces informations, ce sont les habitants qui les ont en premier. Les rédactions, faute de moyens, ne peuvent pas être partout. Un témoignage bien écrit peut devenir le point de départ d'une enquête.</p>
<h2>Ce que les journalistes apportent</h2>
<ul>
<li>la vérification des faits, des chiffres et des citations ;</li>
<li>la confrontation des points de vue, y compris ceux qui dérangent ;</li>
<li>la connaissance du droit de la presse et de la protection des sources.</li>
</ul>
<p>Une plateforme citoyenne sérieuse relit les textes avant publication, refuse ceux qui diffament ou propagent des rumeurs, et distingue clairement le témoignage de l'opinion. C'est ce que je demande à celle-ci, et c'est ce qui me permet d'y publier.</p>
<blockquote><p>Le contraire du bon journalisme, ce n'est pas le journalisme citoyen. C'est la rumeur.</p></blockquote>
<p>Je propose donc à mes confrères de lire ces articles, d'y repérer des sujets, et pourquoi pas d'accompagner les auteurs qui le souhaitent. Nous avons en commun l'essentiel : le souci de raconter ce qui se passe vraiment.</p>
""",
    },
    {
        "slug": "cours-du-soir-apprendre-a-lire-a-cinquante-ans",
        "title": "Cours du soir : apprendre à lire à cinquante ans",
        "category": "education",
        "author": "aminata.diallo",
        "days_ago": 16,
        "hours_ago": 6,
        "popularity": 36,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Trois soirs par semaine, une salle de classe de Pikine accueille des élèves d'un "
            "genre particulier : des commerçantes, des gardiens, des mères de famille qui "
            "n'ont jamais pu aller à l'école."
        ),
        "body": """
<p>Khady a cinquante-deux ans et vend du poisson au marché depuis trente ans. Elle sait compter plus vite que n'importe qui, de tête. Mais jusqu'à l'an dernier, elle ne savait pas lire le nom de la rue où elle habite.</p>
<p>Comme elle, une vingtaine d'adultes se retrouvent le lundi, le mercredi et le vendredi soir dans l'école où j'enseigne la journée. Les tables sont trop petites pour eux, mais personne ne s'en plaint.</p>
<h2>Des méthodes adaptées</h2>
<p>On n'apprend pas à lire à un adulte comme à un enfant. Les textes parlent de la vie des élèves : une facture d'électricité, une ordonnance, un message téléphonique, un contrat de location.</p>
<ul>
<li>les premières semaines en wolof, pour comprendre le principe de l'écriture ;</li>
<li>puis le passage progressif au français ;</li>
<li>des exercices de calcul écrit, pour les commerçantes qui veulent tenir leurs comptes.</li>
</ul>
<h2>Plus que l'alphabet</h2>
<p>Les élèves parlent surtout de dignité. Ne plus demander à un voisin de lire une lettre. Signer un document en sachant ce qu'il contient. Aider son petit-fils à faire ses devoirs.</p>
<blockquote><p>Le premier jour où j'ai lu le nom de mon fils sur son bulletin, j'ai pleuré. Je ne savais pas que c'était possible à mon âge.</p></blockquote>
<p>Les cours sont assurés par des enseignants bénévoles et quelques étudiants. Ils manquent de cahiers, de lampes et de lunettes de lecture, car beaucoup d'élèves n'en ont jamais eu. Mais la liste d'attente, elle, ne cesse de s'allonger.</p>
""",
    },
    {
        "slug": "enseignants-contractuels-piliers-discrets",
        "title": "Les enseignants contractuels, piliers discrets de l'école",
        "category": "education",
        "author": "jeanne.ouedraogo",
        "days_ago": 17,
        "hours_ago": 4,
        "popularity": 22,
        "cover": False,
        "summary": (
            "Dans beaucoup d'écoles rurales, une partie des classes repose sur des enseignants "
            "recrutés localement, avec des contrats courts et des salaires modestes. Trois "
            "d'entre eux racontent leur quotidien."
        ),
        "body": """
<p>Salif enseigne à soixante-dix élèves de CE1 dans un village à quarante kilomètres de Koudougou. Il n'est pas fonctionnaire : il a été recruté par l'association des parents d'élèves, qui le paie avec les cotisations des familles et une petite subvention.</p>
<p>Pendant mon stage de fin d'études, j'ai rencontré plusieurs enseignants dans sa situation. Ils ont des points communs : une grande motivation, peu de formation, et une inquiétude permanente pour la suite.</p>
<h2>Trois parcours</h2>
<ul>
<li>Salif, vingt-quatre ans, titulaire du baccalauréat, qui prépare le concours de l'enseignement le soir ;</li>
<li>Awa, ancienne élève de l'école, revenue enseigner dans son village après la faculté ;</li>
<li>Issouf, la quarantaine, qui enseigne depuis douze ans avec des contrats d'un an renouvelés.</li>
</ul>
<h2>Ce qu'ils demandent</h2>
<p>Aucun ne demande un miracle. Ils veulent une formation pédagogique, même courte, des salaires versés à temps, et la reconnaissance de leurs années d'expérience s'ils réussissent un jour le concours.</p>
<blockquote><p>Les enfants ne savent pas quel contrat j'ai signé. Ils savent seulement que je suis là tous les matins.</p></blockquote>
<p>Sans eux, beaucoup de classes n'auraient tout simplement pas d'enseignant. Il serait juste que l'école leur rende un peu de ce qu'ils lui donnent.</p>
""",
    },
    {
        "slug": "etudier-a-l-etranger-parcours-d-obstacles-visas",
        "title": "Étudier à l'étranger : le parcours d'obstacles des visas",
        "category": "international",
        "author": "jeanne.ouedraogo",
        "days_ago": 18,
        "hours_ago": 3,
        "popularity": 40,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Admission obtenue, bourse parfois en poche, et pourtant le départ n'est pas "
            "garanti. Des étudiants racontent les mois d'attente, les frais et les refus sans "
            "explication."
        ),
        "body": """
<p>Quand Abdoul a reçu sa lettre d'admission dans une université européenne pour un master en génie civil, toute la famille a fêté la nouvelle. Six mois plus tard, il était toujours à Ouagadougou, son visa refusé une première fois. Son histoire ressemble à celle de beaucoup de camarades de ma promotion.</p>
<h2>Les étapes, et leur coût</h2>
<ol>
<li>Les frais de dossier et de traduction des diplômes.</li>
<li>La preuve de ressources, souvent une somme bloquée sur un compte, difficile à réunir.</li>
<li>Le rendez-vous au consulat, parfois dans un autre pays faute de service sur place.</li>
<li>L'attente de la décision, qui peut dépasser la date de la rentrée.</li>
</ol>
<p>Chaque étape coûte de l'argent, et ces frais ne sont pas remboursés en cas de refus. Pour beaucoup de familles, c'est un investissement qui représente des mois de revenus.</p>
<h2>Des refus difficiles à comprendre</h2>
<p>Le plus dur, disent les étudiants, c'est de ne pas comprendre. Une lettre type, une case cochée, et aucune possibilité de savoir ce qui aurait dû être différent.</p>
<blockquote><p>J'aurais accepté un refus expliqué. Un refus sans raison, on le porte comme une faute qu'on n'a pas commise.</p></blockquote>
<p>Abdoul a finalement obtenu son visa à la deuxième tentative, avec un mois de retard sur la rentrée. D'autres ont renoncé, ou choisi des universités sur le continent, à Dakar, Accra ou Rabat. Certains me disent qu'ils ne le regrettent pas. Le débat sur les mobilités étudiantes mériterait d'entendre leurs voix.</p>
""",
    },
    {
        "slug": "lyon-marche-solidaire-casamance",
        "title": "À Lyon, un marché solidaire relie la Casamance aux consommateurs français",
        "category": "international",
        "author": "sahel-vert",
        "creator_credit": "Aïssatou Sané",
        "days_ago": 19,
        "hours_ago": 5,
        "popularity": 26,
        "cover": False,
        "summary": (
            "Mangues séchées, huile de palme artisanale, miel de Casamance : une association "
            "de la diaspora vend chaque mois les produits de coopératives villageoises, et "
            "reverse l'essentiel aux producteurs."
        ),
        "body": """
<p>Un dimanche par mois, dans une salle de quartier de Lyon, une dizaine de tables sont couvertes de pots de miel, de sachets de mangues séchées et de bouteilles d'huile. Derrière les tables, des membres de l'association, presque tous originaires de Casamance, expliquent aux clients d'où vient chaque produit.</p>
<p>L'association travaille avec quatre coopératives villageoises, dont deux de femmes. Nous l'avons découverte grâce à un partenariat sur la transformation des fruits, et Aïssatou, sa présidente, a accepté d'en raconter l'histoire.</p>
<h2>Comment ça fonctionne</h2>
<ul>
<li>les commandes sont groupées deux fois par an pour réduire le coût du transport ;</li>
<li>les prix sont fixés avec les coopératives, avant la récolte ;</li>
<li>les bénéfices de l'association financent du matériel de séchage et d'emballage.</li>
</ul>
<h2>Plus qu'un commerce</h2>
<p>Pour les membres de la diaspora, le marché est aussi un lieu de rencontre. On y parle diola, on y échange des nouvelles du pays. Les clients français viennent pour les produits et repartent souvent avec une recette.</p>
<blockquote><p>Nous ne voulions pas seulement envoyer de l'argent à nos villages. Nous voulions que leur travail soit connu et payé à son juste prix.</p></blockquote>
<p>L'association cherche maintenant à obtenir une certification pour ses produits biologiques. Le processus est long et coûteux pour de petites coopératives, mais il permettrait de vendre dans des magasins spécialisés, et de faire vivre plus de familles au pays.</p>
""",
    },
    {
        "slug": "colocation-yaounde-etudiants",
        "title": "À Yaoundé, la colocation devient la règle pour les étudiants",
        "category": "societe",
        "author": "jeanne.ouedraogo",
        "creator_credit": "Carine Mbarga",
        "days_ago": 20,
        "hours_ago": 2,
        "popularity": 20,
        "cover": False,
        "summary": (
            "Chambres en cité universitaire trop rares, loyers en hausse : les étudiants de "
            "Yaoundé partagent de plus en plus leur logement. Une étudiante en droit raconte "
            "sa vie à quatre dans un deux-pièces."
        ),
        "body": """
<p>Carine Mbarga, étudiante en droit à Yaoundé, m'a envoyé ce témoignage après avoir lu un de mes articles sur le logement étudiant à Ouagadougou. Je le publie avec son accord.</p>
<p>Nous sommes quatre filles dans un deux-pièces du quartier de Ngoa-Ekellé, à dix minutes à pied de la faculté. Deux lits dans la chambre, deux matelas dans le salon qu'on range le matin. Chacune paie un quart du loyer, de l'électricité et de l'eau.</p>
<h2>Pourquoi la colocation</h2>
<p>Les chambres en cité universitaire sont trop peu nombreuses pour tous les étudiants. Dans le privé, un studio seul coûte plus que ce que la plupart de nos familles peuvent envoyer chaque mois. La colocation est la seule solution pour vivre près du campus.</p>
<h2>Nos règles</h2>
<ul>
<li>un tableau pour la cuisine et le ménage, affiché sur la porte ;</li>
<li>une caisse commune pour le riz, l'huile et le savon ;</li>
<li>le silence après vingt-deux heures en période d'examens.</li>
</ul>
<blockquote><p>On partage le loyer, mais aussi les fiches de révision, les repas et les coups de blues.</p></blockquote>
<p>Il y a des disputes, bien sûr, surtout pour la salle de bains le matin. Mais quand l'une de nous a été malade pendant les partiels, les trois autres ont pris ses notes et lui ont préparé à manger. Je ne suis pas sûre que j'aurais tenu seule.</p>
""",
    },
    {
        "slug": "wax-fierte-et-paradoxe-tailleurs-cotonou",
        "title": "Le wax, fierté et paradoxe : enquête chez les tailleurs de Cotonou",
        "category": "culture",
        "author": "kofi.mensah",
        "days_ago": 21,
        "hours_ago": 4,
        "popularity": 24,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Symbole de l'élégance africaine dans le monde entier, le tissu wax a une histoire "
            "longue et métissée. Dans les ateliers du marché Dantokpa, les tailleurs en font "
            "chaque jour une création locale."
        ),
        "body": """
<p>Dans l'atelier de Romuald, au bord du marché Dantokpa, trois machines à coudre tournent sans interruption. Sur les étagères, des dizaines de coupons de tissu aux motifs éclatants : cercles, feuilles, oiseaux, lettres. Chaque motif a un nom, que les clientes connaissent par cœur.</p>
<h2>Une histoire qui voyage</h2>
<p>Le wax est né d'une technique d'impression à la cire inspirée du batik indonésien, industrialisée en Europe au dix-neuvième siècle, puis adoptée et réinventée en Afrique de l'Ouest. Aujourd'hui, on le fabrique aussi sur le continent et en Asie.</p>
<p>« Les gens me disent que le wax n'est pas africain », sourit Romuald. « Je leur réponds : regardez ce que nous en avons fait. Les noms des motifs, les façons de le porter, les messages qu'il transmet, tout ça, c'est de chez nous. »</p>
<h2>Le vrai savoir-faire</h2>
<ul>
<li>savoir placer le motif pour qu'il tombe juste sur le vêtement ;</li>
<li>adapter les coupes : robes, chemises, vestes de cérémonie ;</li>
<li>travailler vite à l'approche des fêtes, quand les commandes doublent.</li>
</ul>
<blockquote><p>Le tissu vient d'où il vient. Le vêtement, lui, naît ici, sur ma table.</p></blockquote>
<p>Romuald forme deux apprentis. Il aimerait qu'un jour le tissu lui-même soit davantage fabriqué dans la région, pour que toute la chaîne profite aux travailleurs d'ici. En attendant, il coud, et ses clientes défilent.</p>
""",
    },
    {
        "slug": "zlecaf-frontiere-petites-commercantes",
        "title": "Libre-échange continental : à la frontière, les petites commerçantes attendent encore",
        "category": "afrique",
        "author": "kofi.mensah",
        "days_ago": 22,
        "hours_ago": 6,
        "popularity": 18,
        "cover": False,
        "summary": (
            "La zone de libre-échange continentale promet d'ouvrir les marchés. Pour les "
            "commerçantes qui traversent chaque semaine la frontière entre le Ghana et le Togo, "
            "le changement se fait attendre."
        ),
        "body": """
<p>Elles sont des milliers à traverser chaque semaine la frontière entre le Ghana et le Togo avec des ballots sur la tête : tomates, poisson fumé, tissus, savons. Le commerce transfrontalier à petite échelle fait vivre des familles entières, et il est en grande partie porté par des femmes.</p>
<p>Sur le papier, la zone de libre-échange continentale africaine doit faciliter ces échanges. J'ai demandé à plusieurs commerçantes si elles avaient vu une différence.</p>
<h2>Ce qu'elles racontent</h2>
<ul>
<li>la plupart n'ont jamais entendu parler des nouvelles règles ;</li>
<li>les formalités restent pensées pour les camions et les grandes entreprises ;</li>
<li>les petites quantités échappent aux régimes simplifiés, faute de papiers adaptés.</li>
</ul>
<blockquote><p>Les grands accords, on les signe dans des hôtels. Nous, nous passons la frontière à pied.</p></blockquote>
<h2>Des pistes concrètes</h2>
<p>Des associations de commerçantes demandent des guichets d'information aux postes frontières, dans les langues locales, et un document simple pour les petites cargaisons. Quelques postes ont commencé à afficher les tarifs officiels, ce qui limite les demandes abusives.</p>
<p>Le libre-échange ne se décrète pas seulement dans les traités. Il se vérifie chaque matin, au poste frontière, quand une commerçante passe avec sa marchandise et rentre le soir avec son bénéfice.</p>
""",
    },
    {
        "slug": "elections-locales-jeunes-listes-electorales",
        "title": "Élections locales : pourquoi tant de jeunes ne s'inscrivent pas sur les listes",
        "category": "politique",
        "author": "jeanne.ouedraogo",
        "days_ago": 24,
        "hours_ago": 3,
        "popularity": 16,
        "cover": True,
        "cover_caption": "Illustration générée pour la démonstration.",
        "cover_credit": "Notre Continent",
        "summary": (
            "Ils ont l'âge de voter, s'intéressent à la vie publique sur les réseaux sociaux, "
            "et pourtant ne sont pas inscrits sur les listes électorales. Nous avons demandé à "
            "des étudiants pourquoi."
        ),
        "body": """
<p>Sur les réseaux sociaux, mes camarades commentent tout : les décisions du gouvernement, les routes mal entretenues, les coupures d'électricité. Mais quand j'ai demandé dans mon amphithéâtre qui était inscrit sur les listes électorales, moins d'un tiers des mains se sont levées.</p>
<h2>Les raisons avancées</h2>
<ol>
<li>« Je ne savais pas où ni quand s'inscrire » : les périodes d'inscription sont courtes et mal connues.</li>
<li>« Je suis inscrit dans mon village » : beaucoup d'étudiants vivent loin du lieu où ils pourraient voter.</li>
<li>« Ça ne change rien » : le sentiment que le vote ne pèse pas sur les décisions.</li>
<li>« Il me manque un papier » : une carte d'identité expirée ou un acte de naissance introuvable.</li>
</ol>
<h2>Ce qui pourrait aider</h2>
<p>Plusieurs associations de jeunes organisent des campagnes d'inscription sur les campus, avec des permanences et des explications pas à pas. Là où elles passent, les inscriptions augmentent nettement.</p>
<blockquote><p>Nous ne sommes pas indifférents. Nous sommes découragés, ce n'est pas la même chose.</p></blockquote>
<p>Les élections locales concernent directement notre quotidien : l'éclairage, l'eau, les marchés, les écoles. C'est peut-être par elles que le lien entre les jeunes et le vote peut se renouer.</p>
""",
    },
]

# Never public: they exercise the workflow and must never appear on any page.
UNPUBLISHED = [
    {
        "slug": "notes-marche-sandaga-brouillon",
        "title": "Notes sur le marché Sandaga (brouillon)",
        "category": "economie",
        "author": "aminata.diallo",
        "status": "draft",
        "summary": "Premières notes pour un article sur la rénovation du marché.",
        "body": "<p>Ce brouillon n'est visible que par son autrice.</p>",
    },
    {
        "slug": "retour-des-pluies-kaolack-en-relecture",
        "title": "Le retour des pluies à Kaolack (en relecture)",
        "category": "environnement",
        "author": "sahel-vert",
        "status": "submitted",
        "summary": "Un article soumis, qui attend la relecture d'un modérateur.",
        "body": "<p>Cet article attend la décision d'un modérateur.</p>",
    },
]
