"""The five trust pages, with the site's own default texts.

Staff adapt them in the admin (the legal notice has blanks only the publisher can
fill). The privacy policy states what the code does: comments.purge_comment_metadata
and reports.purge_report_metadata (90 days), articles.readership (views counted without
storing an address), accounts.services (export, deletion). The HTML is already in the
form articles.sanitizer.clean_html gives it, so a first save in the admin changes
nothing but the words the editor changed.

Only missing pages are created: a page already edited is never overwritten.
"""

import re

from django.db import migrations

REL = 'rel="nofollow ugc noopener noreferrer"'


def link(href, text):
    return f'<a href="{href}" {REL}>{text}</a>'


ABOUT = f"""
<p>Notre Continent est un journal citoyen en ligne. Ses articles ne sont pas écrits par une
rédaction salariée mais par celles et ceux qui vivent l’actualité de près : des
particuliers, des associations, des ONG et des professionnels, qui y publient gratuitement
leurs reportages, leurs analyses et leurs témoignages.</p>
<h2>Pourquoi ce journal</h2>
<p>Beaucoup de ce qui se passe sur le continent n’est raconté nulle part, ou raconté de
loin. Une coopérative agricole qui se relève d’une mauvaise saison, un quartier qui
s’organise après une inondation, une loi votée sans débat : ceux qui le savent le mieux
sont souvent ceux qui y sont. Notre Continent leur donne un espace pour l’écrire, et aux
lecteurs un endroit pour le lire et en discuter.</p>
<h2>Comment un article est publié</h2>
<ol>
<li>L’auteur crée un compte, confirme son adresse e-mail et indique s’il écrit en son nom,
pour une association, une ONG ou à titre professionnel.</li>
<li>Il rédige son article, le relit dans l’aperçu, puis l’envoie à l’équipe de
modération.</li>
<li>Un modérateur le relit. L’article est publié, ou renvoyé à son auteur avec le motif
du refus, pour qu’il le corrige et le propose de nouveau.</li>
</ol>
<p>La relecture vérifie que l’article respecte notre {link("/charte-de-moderation/", "charte de modération")} :
pas de contenu illicite, haineux ou diffamatoire, pas de publicité déguisée, des
images dont l’auteur a les droits. Elle ne remplace pas l’enquête : chaque article est
signé et reste sous la responsabilité de son auteur. Le type de compte (particulier,
association, ONG, professionnel) figure à côté de chaque signature, pour que chacun sache
qui parle.</p>
<h2>Lire et réagir</h2>
<p>Les articles sont classés par rubriques ; « Les plus lus » montre ceux que les lecteurs
ont le plus consultés ces derniers jours. Sous chaque article, les lecteurs peuvent réagir
dans des fils de commentaires modérés, et signaler à l’équipe un article ou un commentaire
qui enfreint la charte.</p>
<h2>Ce que nous ne faisons pas</h2>
<p>Le site ne contient ni traceur publicitaire ni script de réseau social. Les boutons de
partage sont de simples liens : rien n’est transmis à un réseau social tant que vous ne
cliquez pas. Ce que nous conservons sur vous, et combien de temps, est décrit dans notre
{link("/confidentialite/", "politique de confidentialité")}.</p>
<p>Une question, une proposition de partenariat ? {link("/contact/", "Écrivez-nous")}.</p>
"""

LEGAL = f"""
<h2>Éditeur du site</h2>
<p>Le site www.notrecontinent.com est édité par [à compléter : nom de la structure
éditrice, forme juridique, adresse du siège, numéro d’immatriculation].</p>
<p>Directeur ou directrice de la publication : [à compléter : nom et qualité].</p>
<p>Pour joindre l’éditeur : {link("/contact/", "page Contact")}.</p>
<h2>Hébergement</h2>
<p>Le site est hébergé par [à compléter : nom, adresse et téléphone de l’hébergeur].</p>
<h2>Nature du site et responsabilité des contenus</h2>
<p>Notre Continent est une plateforme de journalisme citoyen : les articles sont écrits
et signés par les titulaires de comptes (particuliers, associations, ONG, professionnels),
qui en sont responsables. Chaque article est relu par l’équipe de modération avant sa
publication, selon la {link("/charte-de-moderation/", "charte de modération")} ; les
commentaires des lecteurs sont modérés selon la même charte.</p>
<p>Un contenu qui vous semble illicite peut être signalé à tout moment par le lien
« Signaler » placé sous chaque article et chaque commentaire. L’équipe examine chaque
signalement et retire sans délai un contenu manifestement illicite.</p>
<h2>Propriété intellectuelle</h2>
<p>Les auteurs conservent les droits sur leurs textes et sur les images qu’ils publient ;
le crédit d’une image figure sous celle-ci. Toute reproduction d’un article au-delà de
la courte citation, avec le nom de l’auteur et un lien vers l’article, demande l’accord
de son auteur. Le nom et la présentation du site appartiennent à son éditeur.</p>
<h2>Données personnelles</h2>
<p>Le traitement des données personnelles est décrit dans la
{link("/confidentialite/", "politique de confidentialité")}.</p>
"""

CONTACT = f"""
<p>Pour que votre message arrive vite à la bonne personne, choisissez l’adresse qui
correspond à votre demande.</p>
<h2>Un article ou un commentaire pose problème</h2>
<p>Le plus rapide est le lien « Signaler » placé sous chaque article et chaque
commentaire : votre signalement arrive directement dans la file de l’équipe de
modération. Pour une situation urgente ou qui demande des explications, écrivez à
{link("mailto:moderation@notrecontinent.com", "moderation@notrecontinent.com")}.</p>
<h2>Vous êtes l’auteur d’un article publié</h2>
<p>Un article publié ne peut plus être modifié depuis votre espace contributeur. Pour
demander une correction, écrivez à
{link("mailto:moderation@notrecontinent.com", "moderation@notrecontinent.com")} en
indiquant l’adresse de l’article et la correction souhaitée. Le même contact vaut pour
contester un refus de publication.</p>
<h2>Vos données personnelles</h2>
<p>Si vous avez un compte, vous pouvez télécharger vos données et supprimer votre compte
vous-même depuis la page « Mon compte ». Pour toute autre demande (accès, rectification,
effacement des commentaires laissés sans compte, par exemple), écrivez à
{link("mailto:donnees@notrecontinent.com", "donnees@notrecontinent.com")} depuis
l’adresse concernée. Voir aussi notre
{link("/confidentialite/", "politique de confidentialité")}.</p>
<h2>La rédaction, la presse, les partenariats</h2>
<p>Pour une proposition de partenariat, une demande de la presse ou une idée pour le
journal : {link("mailto:contact@notrecontinent.com", "contact@notrecontinent.com")}.</p>
<p>Nous lisons tous les messages et répondons dans les meilleurs délais. Les adresses
e-mail d’expédition du site (ne-pas-repondre@notrecontinent.com) ne reçoivent pas de
courrier.</p>
"""

CHARTER = f"""
<p>Notre Continent est ouvert à tous, et c’est ce qui le rend fragile. Cette charte dit
ce que nous publions, ce que nous refusons, et comment chacun peut nous aider à la faire
respecter. Elle s’applique aux articles comme aux commentaires.</p>
<h2>Ce que nous refusons, partout</h2>
<ul>
<li>les contenus illicites : appel à la violence ou au crime, apologie du terrorisme,
exploitation des mineurs, atteinte au droit d’auteur ;</li>
<li>les propos haineux ou discriminatoires, visant une personne ou un groupe pour son
origine, sa religion, son sexe, son orientation sexuelle, son handicap ou son
appartenance ethnique ;</li>
<li>le harcèlement, les menaces et les insultes ;</li>
<li>les atteintes à la vie privée : adresse, numéro de téléphone, documents personnels,
photos d’une personne reconnaissable publiées sans son accord ;</li>
<li>la diffamation : accuser nommément une personne de faits que l’on ne peut pas
étayer ;</li>
<li>les fausses informations présentées comme des faits, les images truquées ou sorties
de leur contexte ;</li>
<li>la publicité, le démarchage et les messages répétés.</li>
</ul>
<h2>Les articles</h2>
<p>Chaque article est relu par un modérateur avant sa publication. En plus des règles
ci-dessus, nous demandons :</p>
<ul>
<li>un texte dont vous êtes l’auteur ; s’il a été écrit par une autre personne (un
membre de votre association, par exemple), son nom figure dans le champ « créateur de
contenu » ;</li>
<li>des faits distingués des opinions, et des sources citées quand elles existent ;</li>
<li>des images que vous avez prises ou dont vous avez le droit de vous servir, avec leur
crédit ;</li>
<li>pour une association, une ONG ou un professionnel, des liens d’intérêt annoncés : un
article sur sa propre activité est possible, une réclame ne l’est pas.</li>
</ul>
<p>Un article refusé revient à son auteur avec le motif du refus ; il peut le corriger et
le proposer de nouveau. Un article publié n’est plus modifiable par son auteur : une
correction se demande à l’équipe de modération
({link("/contact/", "page Contact")}).</p>
<h2>Les commentaires</h2>
<p>Les commentaires sont du texte simple, signé d’un nom ; l’adresse e-mail demandée
n’est jamais publiée. Pour protéger les discussions, certains commentaires attendent la
validation d’un modérateur avant d’apparaître : le premier commentaire d’une adresse
e-mail, un commentaire qui contient plusieurs liens ou certains mots surveillés. Les
envois trop rapprochés depuis une même adresse sont refusés, de même que les textes
trop longs. Un commentaire qui enfreint la charte est retiré ; s’il avait reçu des
réponses, la mention « Commentaire supprimé par la modération » reste à sa place.</p>
<p>Débattez des idées, pas des personnes : un désaccord argumenté est bienvenu, une
attaque personnelle ne l’est pas.</p>
<h2>Signaler un contenu</h2>
<p>Sous chaque article et chaque commentaire, le lien « Signaler » ouvre un court
formulaire, sans qu’il soit besoin d’un compte. Choisissez le motif : contenu illicite,
propos haineux ou discriminatoires, harcèlement ou menace, atteinte à la vie privée,
fausse information, publicité ou contenu indésirable, ou « autre » en précisant ce qui
ne va pas. Le signalement arrive dans la file de l’équipe de modération, qui l’examine
et retire le contenu s’il enfreint la charte. Pour une situation urgente, écrivez aussi
à {link("mailto:moderation@notrecontinent.com", "moderation@notrecontinent.com")}.</p>
<h2>Sanctions</h2>
<p>Un manquement entraîne le refus de l’article ou le retrait du commentaire. En cas de
manquements graves ou répétés, le compte peut être suspendu : son titulaire ne peut plus
se connecter ni publier. Pour contester une décision, écrivez à l’équipe de modération en
expliquant pourquoi ; l’équipe réexamine la décision.</p>
"""

PRIVACY = f"""
<p>Cette page dit quelles données Notre Continent garde sur vous, pourquoi, combien de
temps, et comment les récupérer ou les effacer. Le responsable du traitement est
l’éditeur du site, présenté dans les {link("/mentions-legales/", "mentions légales")}.
Nous ne vendons ni ne louons aucune donnée, et nous ne faisons ni publicité ciblée ni
mesure d’audience par un service extérieur.</p>
<h2>Si vous lisez le site</h2>
<p>Pour compter les lectures d’un article sans compter deux fois la même personne, le
site calcule des empreintes à partir de votre adresse IP et de votre navigateur (ou de
votre compte, si vous êtes connecté), et les garde en mémoire 30 minutes. Ni ces
empreintes ni votre adresse ne sont enregistrées dans la base de données : seul le
nombre de lectures de chaque article, jour par jour, y est conservé.</p>
<p>Les journaux d’erreurs du serveur notent l’adresse IP d’une requête qui a échoué ; ils
servent à réparer les pannes et à repérer les attaques, et ne sont pas conservés plus
de 90 jours.</p>
<h2>Si vous commentez</h2>
<p>Nous conservons le nom que vous donnez (publié avec votre commentaire), votre adresse
e-mail (jamais publiée, elle sert à reconnaître un commentateur déjà validé et à vous
prévenir d’une réponse si vous l’avez demandé), le texte, ainsi que l’adresse IP et le
navigateur utilisés. L’adresse IP et le navigateur servent à lutter contre les abus ;
ils sont effacés au bout de <strong>90 jours</strong>. Chaque e-mail de notification
contient un lien de désabonnement en un clic.</p>
<h2>Si vous signalez un contenu</h2>
<p>Nous conservons le motif, vos précisions, le compte utilisé si vous étiez connecté et
votre adresse IP, qui nous évite de recevoir cent fois le même signalement. L’adresse IP
est effacée au bout de <strong>90 jours</strong> ; le signalement reste à l’usage de
l’équipe de modération.</p>
<h2>Si vous avez un compte</h2>
<p>Nous conservons votre adresse e-mail, votre nom d’utilisateur, votre nom affiché, le
type de compte, et ce que vous choisissez d’ajouter à votre profil (organisation,
présentation, site web, avatar) ; vos articles dans tous leurs états, avec les décisions
de la modération ; vos commentaires et vos signalements ; la date de création du compte
et celle de votre dernière connexion. Votre mot de passe n’est jamais conservé en clair.
Les images envoyées (avatar, illustrations) sont réenregistrées sans leurs métadonnées,
ce qui efface notamment la position GPS d’une photo. Ces données sont conservées tant que
le compte existe.</p>
<h2>Cookies</h2>
<p>Le site n’utilise que des cookies nécessaires à son fonctionnement, aucun cookie
publicitaire ni de mesure d’audience :</p>
<ul>
<li><strong>sessionid</strong> : vous garde connecté, ou retient pour vous seul qu’un
commentaire que vous venez d’envoyer attend la modération ; il expire au bout de deux
semaines ;</li>
<li><strong>csrftoken</strong> : protège les formulaires contre les envois frauduleux
depuis un autre site ; il expire au bout d’un an et ne contient aucune donnée sur
vous ;</li>
<li><strong>messages</strong> : affiche un message de confirmation sur la page suivante,
puis disparaît.</li>
</ul>
<h2>Récupérer vos données</h2>
<p>Depuis la page « Mon compte », le bouton « Télécharger mes données (JSON) » vous donne
un fichier qui contient tout ce que le site garde sur votre compte : profil, adresses
e-mail, articles, commentaires et signalements. Si vous avez commenté sans compte,
écrivez-nous depuis l’adresse e-mail utilisée (voir la {link("/contact/", "page Contact")}) :
l’équipe vous envoie l’export de vos commentaires.</p>
<h2>Effacer vos données</h2>
<p>Vous pouvez supprimer votre compte vous-même : page « Mon compte », bouton « Supprimer
mon compte », puis votre mot de passe. La suppression est immédiate :</p>
<ul>
<li>votre profil, votre avatar, vos adresses e-mail et le compte lui-même sont
effacés ;</li>
<li>vos brouillons, vos articles en relecture et vos articles refusés sont supprimés avec
leurs images ;</li>
<li>vos articles publiés restent en ligne, signés « Auteur supprimé » : ils font partie des
archives du journal ; si vous souhaitez qu’un article publié soit retiré, écrivez à
l’équipe de modération ;</li>
<li>vos commentaires restent dans les discussions pour qu’elles restent lisibles, mais
anonymisés : nom remplacé par « Anonyme », adresse e-mail, adresse IP et navigateur
effacés ;</li>
<li>vos signalements restent à l’usage des modérateurs, sans lien avec vous et sans
adresse IP.</li>
</ul>
<p>Si vous avez commenté sans compte, l’équipe anonymise de la même manière tous les
commentaires de votre adresse e-mail sur simple demande.</p>
<h2>Vos droits</h2>
<p>Vous pouvez accéder à vos données, les faire rectifier (la plupart se modifient depuis
votre profil), les faire effacer, et vous opposer à leur traitement. Écrivez-nous par la
{link("/contact/", "page Contact")}. Si vous estimez que vos droits ne sont pas
respectés, vous pouvez saisir l’autorité de protection des données de votre pays (au
Sénégal, la Commission de protection des données personnelles ; en France, la
CNIL).</p>
"""

PAGES = [
    (
        "a-propos",
        "À propos de Notre Continent",
        "Notre Continent, le journal citoyen où particuliers, associations, ONG et "
        "professionnels publient leurs articles, relus par une équipe de modération.",
        ABOUT,
    ),
    (
        "mentions-legales",
        "Mentions légales",
        "L’éditeur et l’hébergeur de Notre Continent, la responsabilité des contenus "
        "et les droits d’auteur.",
        LEGAL,
    ),
    (
        "contact",
        "Contact",
        "Écrire à l’équipe de Notre Continent : modération, corrections, données "
        "personnelles, partenariats.",
        CONTACT,
    ),
    (
        "charte-de-moderation",
        "Charte de modération",
        "Ce que Notre Continent refuse dans les articles et les commentaires, et comment "
        "signaler un contenu.",
        CHARTER,
    ),
    (
        "confidentialite",
        "Politique de confidentialité",
        "Les données que Notre Continent conserve, pourquoi, combien de temps, et comment "
        "les récupérer ou les effacer.",
        PRIVACY,
    ),
]


def _html(text):
    """Written over several lines above for reading; stored as the editor stores HTML."""
    text = " ".join(text.split())
    return re.sub(r"\s*(</?(?:p|h2|ul|ol|li)>)\s*", r"\1", text)


def create_pages(apps, schema_editor):
    Page = apps.get_model("sitepages", "Page")
    for slug, title, summary, body in PAGES:
        Page.objects.using(schema_editor.connection.alias).get_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "body": _html(body)}
        )


class Migration(migrations.Migration):
    dependencies = [("sitepages", "0001_initial")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
