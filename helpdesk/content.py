"""The help centre's shipped articles, in French and English, loaded by a data migration."""

CATEGORIES = [
    # (slug, position, title_fr, title_en)
    ("contacter", 1, "Contacter le service client", "Contacting customer service"),
    ("acheter", 2, "Acheter sur Rakuten", "Buying on Rakuten"),
    ("payer", 3, "Payer sa commande", "Paying for your order"),
    ("reclamations", 4, "Réclamations", "Claims"),
    ("garantie", 5, "La garantie Rakuten", "The Rakuten guarantee"),
]

# Body format: plain text; paragraphs separated by one blank line; a paragraph
# whose lines all start with "- " is a bullet list. No HTML, no Markdown.
ARTICLES = [
    # -------------------- contacter
    {
        "slug": "nous-contacter",
        "category": "contacter",
        "position": 1,
        "fr": {
            "title": "Comment joindre le service client ?",
            "summary": "Formulaire, messagerie instantanée, réseaux sociaux, téléphone, courrier ou application : tous les moyens de nous joindre.",
            "body": (
                "Plusieurs canaux permettent de joindre le service client Rakuten France. Pour une question sur une commande précise, le formulaire en ligne reste le plus efficace : il transmet d'emblée à nos conseillers le numéro de commande, le nom du vendeur et la nature du problème.\n\n"
                "- Le formulaire de contact, depuis l'Aide (« Comment faire une réclamation ? » puis « Service client ») ou depuis « À propos » puis « Nous contacter »\n"
                "- La messagerie instantanée, qui s'ouvre sur les pages d'aide\n"
                "- Les réseaux sociaux : Facebook, X (anciennement Twitter) et Instagram\n"
                "- Le téléphone, du lundi au vendredi de 9 h à 19 h et le samedi de 10 h à 18 h\n"
                "- Le courrier, adressé au Service client Rakuten France, 92 rue Réaumur, 75002 Paris\n"
                "- L'application mobile Rakuten, gratuite sur Google Play et l'App Store\n\n"
                "Le numéro de téléphone figure sur la page « Nous contacter », qui indique aussi si la ligne est ouverte en ce moment.\n\n"
                "Vous êtes un professionnel et souhaitez vendre sur la plateforme ? L'équipe commerciale répond par e-mail à l'adresse fr-sales@mail.rakuten.com.\n\n"
                "Pour un litige avec un vendeur (article abîmé, différent de la commande ou jamais arrivé), ouvrez plutôt une réclamation depuis « Mon compte » puis « Tous mes achats » : c'est le chemin le plus rapide vers une solution."
            ),
        },
        "en": {
            "title": "How to reach customer service",
            "summary": "Contact form, instant messaging, social media, phone, post or the mobile app: every way to get in touch with us.",
            "body": (
                "You can reach Rakuten France customer service through several channels. For a question about a specific order, the online form is usually the most effective, because it gives our agents the order number, the seller's name and the nature of the problem straight away.\n\n"
                "- The contact form, from Help (\"Comment faire une réclamation ?\" then \"Service client\") or from \"À propos\" then \"Nous contacter\"\n"
                "- Instant messaging, which opens on the help pages\n"
                "- Social media: Facebook, X (formerly Twitter) and Instagram\n"
                "- Phone, Monday to Friday from 9:00 to 19:00 and Saturday from 10:00 to 18:00\n"
                "- Post, addressed to Service client Rakuten France, 92 rue Réaumur, 75002 Paris\n"
                "- The Rakuten mobile app, free on Google Play and the App Store\n\n"
                "The phone number is shown on the \"Nous contacter\" (Contact us) page, which also tells you whether the line is open right now.\n\n"
                "Are you a business that wants to sell on the marketplace? The sales team answers by email at fr-sales@mail.rakuten.com.\n\n"
                "For a dispute with a seller (an item that is damaged, different from your order or never arrived), open a claim from \"Mon compte\" then \"Tous mes achats\" instead: it is the quickest route to a solution."
            ),
        },
    },
    {
        "slug": "formulaire-de-contact",
        "category": "contacter",
        "position": 2,
        "fr": {
            "title": "Utiliser le formulaire de contact",
            "summary": "Où trouver le formulaire et quelles informations donner pour obtenir une réponse rapide.",
            "body": (
                "Le formulaire en ligne est le moyen le plus complet d'écrire au service client. Deux chemins y mènent : depuis la page « Aide », cliquez sur « Comment faire une réclamation ? » puis sur « Service client » ; ou bien ouvrez la rubrique « À propos » et choisissez « Nous contacter ».\n\n"
                "Pour que votre demande soit traitée sans échanges inutiles, indiquez toujours :\n\n"
                "- le numéro de la commande concernée ;\n"
                "- le nom du vendeur ;\n"
                "- la nature du problème : achat, suivi de commande, gestion du compte, paiement ou autre ;\n"
                "- un message qui décrit la situation, avec des pièces jointes si elles sont utiles.\n\n"
                "Si vous êtes connecté, vous choisissez la commande parmi vos propres achats et le nom du vendeur est complété automatiquement. Si vous n'êtes pas connecté, donnez simplement une adresse e-mail à laquelle nous pourrons vous répondre.\n\n"
                "Chaque demande reçoit une référence, et un accusé de réception vous est envoyé par e-mail. Un conseiller étudie ensuite votre demande et vous répond par e-mail. Gardez la référence : elle permet de retrouver votre dossier si vous nous recontactez."
            ),
        },
        "en": {
            "title": "Using the contact form",
            "summary": "Where to find the form and what to include to get a quick answer.",
            "body": (
                "The online form is the most complete way to write to customer service. There are two ways to reach it: on the Help page (\"Aide\"), click \"Comment faire une réclamation ?\" and then \"Service client\"; or open the \"À propos\" (About) section and choose \"Nous contacter\" (Contact us).\n\n"
                "So that your request can be handled without back-and-forth, always include:\n\n"
                "- the number of the order concerned;\n"
                "- the seller's name;\n"
                "- the nature of the problem: purchase, order tracking, account management, payment or other;\n"
                "- a message describing the situation, with attachments if they help.\n\n"
                "If you are logged in, you pick the order from your own purchases and the seller's name is filled in for you. If you are not logged in, simply give an email address where we can reply.\n\n"
                "Every request gets a reference number, and an acknowledgement is sent to you by email. An agent then looks into your request and replies by email. Keep the reference: it lets us find your case if you contact us again."
            ),
        },
    },
    {
        "slug": "autres-moyens-de-contact",
        "category": "contacter",
        "position": 3,
        "fr": {
            "title": "Messagerie, réseaux sociaux, téléphone, courrier et application",
            "summary": "Les autres canaux du service client, leurs sujets et leurs horaires.",
            "body": (
                "Messagerie instantanée : elle s'ouvre automatiquement lorsque vous consultez les pages d'aide. Choisissez un sujet (vos achats, le suivi de vos commandes ou la gestion de votre compte) pour être mis en relation avec un conseiller.\n\n"
                "Réseaux sociaux : Rakuten France répond aussi aux questions posées sur Facebook, X (anciennement Twitter) et Instagram. Ne publiez jamais votre adresse, vos coordonnées bancaires ou votre mot de passe dans un message public.\n\n"
                "Téléphone : les conseillers répondent du lundi au vendredi de 9 h à 19 h et le samedi de 10 h à 18 h, heure de Paris. Le numéro figure sur la page « Nous contacter », qui indique aussi si la ligne est ouverte en ce moment.\n\n"
                "Courrier : si vous préférez écrire, envoyez votre lettre au Service client Rakuten France, 92 rue Réaumur, 75002 Paris. Pensez à y indiquer votre numéro de commande et le nom du vendeur.\n\n"
                "Application mobile : l'application Rakuten, gratuite sur Google Play et sur l'App Store, permet de joindre le service client depuis votre téléphone.\n\n"
                "E-mail : l'adresse fr-sales@mail.rakuten.com est réservée aux professionnels qui souhaitent vendre sur la plateforme. Les particuliers écrivent au service client par le formulaire en ligne ou depuis leur espace client, accessible après création d'un compte."
            ),
        },
        "en": {
            "title": "Messaging, social media, phone, post and the app",
            "summary": "The other customer service channels, what they cover and when they are open.",
            "body": (
                "Instant messaging: it opens automatically when you browse the help pages. Pick a topic (your purchases, order tracking or account management) to be put in touch with an agent.\n\n"
                "Social media: Rakuten France also answers questions asked on Facebook, X (formerly Twitter) and Instagram. Never post your address, bank details or password in a public message.\n\n"
                "Phone: agents are available Monday to Friday from 9:00 to 19:00 and on Saturday from 10:00 to 18:00, Paris time. The number is shown on the \"Nous contacter\" (Contact us) page, which also tells you whether the line is open right now.\n\n"
                "Post: if you prefer to write, send your letter to Service client Rakuten France, 92 rue Réaumur, 75002 Paris. Remember to include your order number and the seller's name.\n\n"
                "Mobile app: the Rakuten app, free on Google Play and the App Store, lets you reach customer service from your phone.\n\n"
                "Email: the address fr-sales@mail.rakuten.com is reserved for businesses that want to sell on the marketplace. Private customers write to customer service through the online form or from their customer area, which requires an account."
            ),
        },
    },
    # -------------------- acheter
    {
        "slug": "rechercher-un-article",
        "category": "acheter",
        "position": 1,
        "fr": {
            "title": "Rechercher un article",
            "summary": "Barre de recherche, filtre « Tout » et menu des catégories : trouvez rapidement le produit voulu.",
            "body": (
                "La barre de recherche, en haut de chaque page, est le point de départ le plus rapide : tapez le nom du produit, une marque ou un modèle, puis lancez la recherche.\n\n"
                "Pour affiner les résultats, cliquez sur « Tout », à côté de la barre, et choisissez la catégorie qui correspond à l'article recherché. La recherche ne porte alors que sur cette catégorie, ce qui écarte les résultats hors sujet.\n\n"
                "Vous pouvez aussi explorer le catalogue sans mot-clé : le menu déroulant en haut à gauche du site donne accès à toutes les catégories.\n\n"
                "Quelques conseils :\n\n"
                "- préférez des termes précis (modèle, capacité, couleur) à des mots trop généraux ;\n"
                "- vérifiez l'orthographe de la marque si aucun résultat n'apparaît ;\n"
                "- une fois la liste affichée, triez-la par prix croissant ou décroissant.\n\n"
                "Lorsque vous avez trouvé le produit, comparez les annonces des différents vendeurs : état de l'article (neuf, occasion ou reconditionné), prix, livraison et type de vendeur, avant de l'ajouter au panier."
            ),
        },
        "en": {
            "title": "Searching for an item",
            "summary": "Search bar, the \"Tout\" filter and the category menu: find the product you want quickly.",
            "body": (
                "The search bar at the top of every page is the quickest place to start: type the product name, a brand or a model, then run the search.\n\n"
                "To narrow the results, click \"Tout\" (All) next to the search bar and choose the category that matches the item you are looking for. The search then covers only that category, which keeps irrelevant results out.\n\n"
                "You can also browse the catalogue without a keyword: the drop-down menu at the top left of the site gives access to every category.\n\n"
                "A few tips:\n\n"
                "- use precise terms (model, capacity, colour) rather than very general words;\n"
                "- check the spelling of the brand if nothing comes up;\n"
                "- once the list is displayed, sort it by price, lowest or highest first.\n\n"
                "When you have found the product, compare the listings from the different sellers (condition of the item, whether new, used or refurbished, price, delivery and type of seller) before adding it to your cart."
            ),
        },
    },
    {
        "slug": "neuf-occasion-reconditionne",
        "category": "acheter",
        "position": 2,
        "fr": {
            "title": "Neuf, occasion ou reconditionné : choisir une annonce",
            "summary": "Ce que signifie l'état d'un article et pourquoi seuls les vendeurs professionnels vendent du neuf.",
            "body": (
                "Un même produit est souvent proposé par plusieurs vendeurs, dans des états différents. Chaque annonce précise l'état de l'article, son prix et le vendeur qui le propose, particulier ou professionnel.\n\n"
                "- Neuf : article jamais utilisé, dans son emballage d'origine. Seuls les vendeurs professionnels peuvent vendre des articles neufs.\n"
                "- Occasion : article qui a déjà servi, vendu par un particulier ou par un professionnel ; la description de l'annonce indique son état réel.\n"
                "- Reconditionné : article d'occasion contrôlé, remis en état si nécessaire et testé avant d'être revendu.\n\n"
                "La règle sur le neuf s'applique dès la mise en vente : un vendeur particulier ne peut pas publier une annonce dans l'état « neuf », même pour un article jamais déballé. Il la publie dans l'état « occasion » et décrit l'article dans le texte.\n\n"
                "Avant de choisir, comparez le prix, l'état, les modes de livraison proposés et le profil du vendeur. Si l'article reçu ne correspond pas à l'état annoncé, vous pourrez ouvrir une réclamation pour article différent de la commande."
            ),
        },
        "en": {
            "title": "New, used or refurbished: choosing a listing",
            "summary": "What an item's condition means, and why only professional sellers can sell new items.",
            "body": (
                "The same product is often offered by several sellers, in different conditions. Each listing states the item's condition, its price and the seller offering it, whether a private individual or a business.\n\n"
                "- New: never used, in its original packaging. Only professional sellers may sell new items.\n"
                "- Used: an item that has already been used, sold by an individual or a business; the listing description gives its actual condition.\n"
                "- Refurbished: a used item that has been checked, repaired where needed and tested before being sold again.\n\n"
                "The rule on new items applies as soon as a listing is created: a private seller cannot publish a listing in \"new\" condition, even for an item that has never been unpacked. They list it as \"used\" and describe the item in the text.\n\n"
                "Before choosing, compare the price, the condition, the delivery options and the seller's profile. If the item you receive does not match the stated condition, you can open a claim for an item different from your order."
            ),
        },
    },
    {
        "slug": "trier-par-prix",
        "category": "acheter",
        "position": 3,
        "fr": {
            "title": "Trier les résultats par prix",
            "summary": "Classer les annonces par prix croissant ou décroissant, et les autres points à vérifier avant d'acheter.",
            "body": (
                "Après une recherche, vous pouvez classer les résultats selon le prix, pour aller droit à l'offre la moins chère ou, au contraire, voir d'abord les articles haut de gamme.\n\n"
                "Utilisez le sélecteur de tri au-dessus de la liste des résultats :\n\n"
                "- « Prix croissant » affiche d'abord les annonces les moins chères ;\n"
                "- « Prix décroissant » affiche d'abord les plus chères.\n\n"
                "Le tri s'applique à la recherche en cours et se combine avec le choix d'une catégorie par le filtre « Tout ».\n\n"
                "Le prix n'est pas le seul critère. Avant de valider, vérifiez l'état de l'article (neuf, occasion ou reconditionné), le mode de livraison et le type de vendeur. Pensez aussi au paiement : le paiement en plusieurs fois n'est pas proposé avec la livraison express, et le paiement en 5, 10 ou 20 fois est réservé aux livraisons en France métropolitaine."
            ),
        },
        "en": {
            "title": "Sorting results by price",
            "summary": "Order listings by price, lowest or highest first, and what else to check before buying.",
            "body": (
                "After a search, you can order the results by price, to go straight to the cheapest offer or, on the contrary, to see high-end items first.\n\n"
                "Use the sort selector above the list of results:\n\n"
                "- \"Prix croissant\" (price ascending) shows the cheapest listings first;\n"
                "- \"Prix décroissant\" (price descending) shows the most expensive first.\n\n"
                "Sorting applies to the current search and can be combined with a category chosen through the \"Tout\" (All) filter.\n\n"
                "Price is not the only thing that matters. Before you confirm, check the item's condition (new, used or refurbished), the delivery method and the type of seller. Think about payment too: paying in instalments is not available with express delivery, and paying in 5, 10 or 20 instalments is only available for delivery to metropolitan France."
            ),
        },
    },
    {
        "slug": "panier-et-commande",
        "category": "acheter",
        "position": 4,
        "fr": {
            "title": "Le panier et la validation de la commande",
            "summary": "Ajouter des articles au panier, choisir la livraison et le paiement, puis suivre la commande.",
            "body": (
                "Lorsque vous avez choisi une annonce, ajoutez-la au panier. Vous pouvez poursuivre vos achats et ajouter d'autres articles, y compris chez d'autres vendeurs : chaque vendeur expédie sa part séparément, et vous obtenez une commande par vendeur, avec son propre numéro.\n\n"
                "Depuis le panier, vérifiez les quantités, puis passez à la commande :\n\n"
                "- choisissez le mode de livraison : standard, point relais ou express ;\n"
                "- vérifiez l'adresse de livraison ;\n"
                "- sélectionnez un moyen de paiement compatible avec la livraison choisie ;\n"
                "- souscrivez, si vous le souhaitez, la garantie Rakuten ;\n"
                "- cliquez sur « Valider et payer ».\n\n"
                "Une fois la commande passée, retrouvez-la dans « Mon compte », rubrique « Tous mes achats ». La page de la commande affiche les articles achetés, leur suivi (commande passée, expédiée avec le nom du transporteur et le numéro de suivi, puis livrée) et, le moment venu, le lien « Faire une réclamation »."
            ),
        },
        "en": {
            "title": "Your cart and placing the order",
            "summary": "Add items to your cart, choose delivery and payment, then follow your order.",
            "body": (
                "Once you have chosen a listing, add it to your cart. You can keep shopping and add more items, including from other sellers: each seller ships their part separately, and you get one order per seller, each with its own number.\n\n"
                "From the cart, check the quantities, then go to checkout:\n\n"
                "- choose the delivery method: standard, pick-up point or express;\n"
                "- check the delivery address;\n"
                "- select a payment method that is compatible with the delivery you chose;\n"
                "- add the Rakuten guarantee if you wish;\n"
                "- click \"Valider et payer\" (Confirm and pay).\n\n"
                "After placing the order, you will find it under \"Mon compte\" (My account), in \"Tous mes achats\" (All my purchases). The order page shows the items bought, their tracking (order placed, shipped with the carrier's name and tracking number, then delivered) and, when the time comes, the \"Faire une réclamation\" (Make a claim) link."
            ),
        },
    },
    # -------------------- payer
    {
        "slug": "payer-par-carte",
        "category": "payer",
        "position": 1,
        "fr": {
            "title": "Payer par carte bancaire",
            "summary": "Cartes CB, Visa, Mastercard et American Express, avec authentification 3-D Secure.",
            "body": (
                "Rakuten accepte les cartes CB, Visa, Mastercard et American Express.\n\n"
                "Au moment de confirmer votre commande, sélectionnez le paiement par carte bancaire, saisissez le numéro de la carte, sa date d'expiration et son cryptogramme, puis cliquez sur « Valider et payer ».\n\n"
                "Votre banque peut vous demander de confirmer l'achat par l'authentification 3-D Secure : code reçu par SMS, validation dans l'application de votre banque, etc. Dans ce cas, le paiement n'est effectif qu'une fois cette étape réussie. Si vous fermez la fenêtre ou si le délai expire, la commande n'est pas validée : il suffit de recommencer le paiement.\n\n"
                "La carte sert aussi à régler le complément d'un paiement par porte-monnaie lorsque le solde ne suffit pas. Pour étaler le coût d'un achat, consultez l'article sur le paiement en plusieurs fois.\n\n"
                "Par sécurité, ne communiquez jamais le code confidentiel de votre carte : Rakuten ne vous le demandera ni par e-mail, ni par téléphone, ni sur les réseaux sociaux."
            ),
        },
        "en": {
            "title": "Paying by card",
            "summary": "CB, Visa, Mastercard and American Express cards, with 3-D Secure authentication.",
            "body": (
                "Rakuten accepts CB, Visa, Mastercard and American Express cards.\n\n"
                "When you confirm your order, select payment by card, enter the card number, expiry date and security code, then click \"Valider et payer\" (Confirm and pay).\n\n"
                "Your bank may ask you to confirm the purchase with 3-D Secure authentication: a code sent by text message, approval in your banking app, and so on. In that case, the payment only goes through once this step has succeeded. If you close the window or the time runs out, the order is not confirmed: just start the payment again.\n\n"
                "A card is also used to pay the rest of a wallet payment when your balance is not enough. To spread the cost of a purchase, see the article on paying in instalments.\n\n"
                "For your safety, never share your card's PIN: Rakuten will never ask for it by email, by phone or on social media."
            ),
        },
    },
    {
        "slug": "porte-monnaie",
        "category": "payer",
        "position": 2,
        "fr": {
            "title": "Payer avec le porte-monnaie",
            "summary": "Utiliser son solde, compléter par carte si le solde est insuffisant et alimenter le porte-monnaie par virement.",
            "body": (
                "Le porte-monnaie est un solde associé à votre compte Rakuten. Lorsqu'il est positif, vous pouvez l'utiliser pour régler vos achats.\n\n"
                "Le paiement par porte-monnaie s'active ou se désactive dans vos « Préférences acheteur ». Vous pouvez modifier ce choix à tout moment.\n\n"
                "Si le solde ne couvre pas la totalité de la commande, il est utilisé pour une partie du montant et le reste est payé par carte bancaire. Le montant restant à régler par carte s'affiche avant la validation de la commande.\n\n"
                "Vous pouvez créditer votre porte-monnaie à tout moment par virement bancaire :\n\n"
                "- ouvrez « Mon porte-monnaie » ;\n"
                "- cliquez sur « Alimenter mon porte-monnaie par virement bancaire » ;\n"
                "- suivez les instructions affichées pour effectuer le virement depuis votre banque.\n\n"
                "Le solde n'est augmenté qu'à la réception du virement, ce qui peut prendre un ou plusieurs jours ouvrés selon votre banque. Anticipez donc si vous prévoyez un achat."
            ),
        },
        "en": {
            "title": "Paying with your wallet",
            "summary": "Use your balance, pay the rest by card when it falls short, and top up your wallet by bank transfer.",
            "body": (
                "The wallet (\"porte-monnaie\") is a balance attached to your Rakuten account. When it is in credit, you can use it to pay for your purchases.\n\n"
                "Wallet payment is switched on or off in your \"Préférences acheteur\" (Buyer preferences). You can change this choice at any time.\n\n"
                "If the balance does not cover the whole order, it pays for part of the amount and the rest is paid by card. The amount left to pay by card is shown before you confirm the order.\n\n"
                "You can top up your wallet at any time by bank transfer:\n\n"
                "- open \"Mon porte-monnaie\" (My wallet);\n"
                "- click \"Alimenter mon porte-monnaie par virement bancaire\" (Top up my wallet by bank transfer);\n"
                "- follow the instructions shown to make the transfer from your bank.\n\n"
                "Your balance only goes up once the transfer has arrived, which can take one or more working days depending on your bank. So plan ahead if you have a purchase in mind."
            ),
        },
    },
    {
        "slug": "paylib-paypal",
        "category": "payer",
        "position": 3,
        "fr": {
            "title": "Payer avec Paylib ou PayPal",
            "summary": "Payer sans saisir ses données de carte, en validant le paiement sur le site partenaire.",
            "body": (
                "Paylib et PayPal vous permettent de payer sans saisir vos données de carte sur le site.\n\n"
                "Paylib : au moment de régler la commande, choisissez Paylib puis cliquez sur « Valider et payer ». Vous êtes redirigé vers le site partenaire pour confirmer le paiement, puis ramené sur Rakuten. Si Paylib ne figure pas parmi les moyens de paiement proposés, activez-le dans vos « Préférences acheteur ».\n\n"
                "PayPal : choisissez PayPal, cliquez sur « Valider et payer », puis connectez-vous à votre compte PayPal avec vos identifiants pour autoriser le paiement. Si vous n'avez pas encore de compte, PayPal vous invite à en créer un au cours de cette même étape.\n\n"
                "Dans les deux cas, la commande n'est confirmée qu'après votre validation sur le site partenaire. Si vous abandonnez en cours de route, la commande n'est pas validée et vous pouvez choisir un autre moyen de paiement."
            ),
        },
        "en": {
            "title": "Paying with Paylib or PayPal",
            "summary": "Pay without typing in your card details, by approving the payment on the partner's site.",
            "body": (
                "Paylib and PayPal let you pay without entering your card details on the site.\n\n"
                "Paylib: when paying for your order, choose Paylib and click \"Valider et payer\" (Confirm and pay). You are redirected to the partner's site to confirm the payment, then brought back to Rakuten. If Paylib is not among the payment methods offered, switch it on in your \"Préférences acheteur\" (Buyer preferences).\n\n"
                "PayPal: choose PayPal, click \"Valider et payer\", then log in to your PayPal account with your credentials to authorise the payment. If you do not have an account yet, PayPal invites you to create one during the same step.\n\n"
                "In both cases, the order is only confirmed once you have approved the payment on the partner's site. If you give up halfway, the order is not placed and you can choose another payment method."
            ),
        },
    },
    {
        "slug": "paiement-en-plusieurs-fois",
        "category": "payer",
        "position": 4,
        "fr": {
            "title": "Payer en plusieurs fois (4, 5, 10 ou 20 fois)",
            "summary": "Paiement en 4 fois avec Cofidis ou en 5, 10 ou 20 fois par carte : les conditions selon la livraison.",
            "body": (
                "Pour étaler le coût d'un achat, deux formules de paiement par carte bancaire en plusieurs mensualités vous sont proposées lors de la confirmation de la commande.\n\n"
                "Paiement en 4 fois avec Cofidis : sélectionnez l'option « 4XCB Cofidis ». Le montant est réparti en 4 mensualités prélevées sur votre carte. Cette formule est proposée par notre partenaire Cofidis.\n\n"
                "Paiement en 5, 10 ou 20 fois par carte : choisissez le nombre de mensualités qui vous convient au moment de payer.\n\n"
                "Ces règles sont vérifiées sur chaque commande :\n\n"
                "- aucun paiement en plusieurs fois (4, 5, 10 ou 20 fois) n'est possible avec la livraison express ;\n"
                "- le paiement en 5, 10 ou 20 fois n'est proposé que pour une livraison en France métropolitaine, et non pour l'outre-mer ou l'étranger ;\n"
                "- le paiement en 4 fois avec Cofidis n'est pas soumis à cette condition de destination.\n\n"
                "Si l'option voulue n'apparaît pas, vérifiez le mode de livraison et l'adresse : en passant par exemple de la livraison express à la livraison standard ou en point relais, le paiement échelonné redevient disponible."
            ),
        },
        "en": {
            "title": "Paying in instalments (4, 5, 10 or 20)",
            "summary": "Pay in 4 with Cofidis or in 5, 10 or 20 instalments by card: the conditions depending on delivery.",
            "body": (
                "To spread the cost of a purchase, two card instalment options are offered when you confirm your order.\n\n"
                "Pay in 4 with Cofidis: select the \"4XCB Cofidis\" option. The amount is split into 4 monthly payments taken from your card. This option is provided by our partner Cofidis.\n\n"
                "Pay in 5, 10 or 20 by card: choose the number of monthly payments that suits you at checkout.\n\n"
                "These rules are checked on every order:\n\n"
                "- no instalment payment (4, 5, 10 or 20) is possible with express delivery;\n"
                "- paying in 5, 10 or 20 instalments is only offered for delivery to metropolitan France, not for French overseas territories or abroad;\n"
                "- paying in 4 with Cofidis is not subject to this destination rule.\n\n"
                "If the option you want does not appear, check the delivery method and the address: switching from express delivery to standard or pick-up point delivery, for example, makes instalment payments available again."
            ),
        },
    },
    # -------------------- reclamations
    {
        "slug": "faire-une-reclamation",
        "category": "reclamations",
        "position": 1,
        "fr": {
            "title": "Comment faire une réclamation ?",
            "summary": "Ouvrir une réclamation depuis « Tous mes achats », s'arranger avec le vendeur, et ce qui se passe sans accord.",
            "body": (
                "En cas de problème avec une commande, la réclamation se fait depuis votre compte :\n\n"
                "- ouvrez « Mon compte », puis « Tous mes achats » ;\n"
                "- cliquez sur la commande concernée pour afficher son suivi ;\n"
                "- suivez le lien « Faire une réclamation » ;\n"
                "- choisissez le motif, répondez aux questions et joignez des photos si besoin.\n\n"
                "La réclamation est transmise au vendeur, qui est aussitôt prévenu. Vous échangez avec lui dans le fil de la réclamation pour trouver un arrangement à l'amiable : échange de l'article, rabais, remboursement, éventuellement après retour de l'article. Si vous acceptez une proposition du vendeur sur le site, la réclamation est close comme réglée. Si vous vous êtes mis d'accord autrement, annulez la réclamation de la même façon que vous l'avez ouverte, depuis la page de la commande.\n\n"
                "Si aucune solution n'est trouvée dans les 3 jours ouvrés (hors week-ends et jours fériés), le SAV Rakuten prend le relais pour régler définitivement le litige. Les deux parties sont tenues informées étape par étape, sur le site et par e-mail.\n\n"
                "Bon à savoir : seul l'acheteur peut ouvrir une réclamation, une seule peut être en cours par commande, et plus aucune n'est possible une fois la vente clôturée, 6 semaines après l'achat. Lorsque la réclamation n'est pas possible, la page de la commande en explique la raison et, le cas échéant, la date à partir de laquelle elle le sera."
            ),
        },
        "en": {
            "title": "How to make a claim",
            "summary": "Open a claim from \"Tous mes achats\", reach an arrangement with the seller, and what happens if you cannot agree.",
            "body": (
                "If something goes wrong with an order, you make a claim from your account:\n\n"
                "- open \"Mon compte\" (My account), then \"Tous mes achats\" (All my purchases);\n"
                "- click the order concerned to see its tracking;\n"
                "- follow the \"Faire une réclamation\" (Make a claim) link;\n"
                "- choose the reason, answer the questions and attach photos if needed.\n\n"
                "The claim is passed on to the seller, who is notified at once. You talk to the seller in the claim's thread to reach an amicable arrangement: an exchange, a discount or a refund, possibly after you return the item. If you accept one of the seller's proposals on the site, the claim is closed as settled. If you agreed on a solution some other way, cancel the claim the same way you opened it, from the order page.\n\n"
                "If no solution is found within 3 working days (weekends and public holidays excluded), Rakuten customer service takes over to settle the dispute for good. Both parties are kept informed at every step, on the site and by email.\n\n"
                "Good to know: only the buyer can open a claim, only one claim can be open per order at a time, and no claim is possible once the sale is closed, 6 weeks after the purchase. When a claim is not possible, the order page explains why and, where relevant, from which date it will be."
            ),
        },
    },
    {
        "slug": "article-endommage",
        "category": "reclamations",
        "position": 2,
        "fr": {
            "title": "Article abîmé ou qui ne fonctionne pas",
            "summary": "Décrire l'état de l'article ou la panne, et que faire si le colis a été endommagé pendant le transport.",
            "body": (
                "Vous avez reçu un article cassé, en bien moins bon état que ce qu'indiquait l'annonce, ou qui ne fonctionne pas ? Ouvrez une réclamation depuis « Tous mes achats » et choisissez le motif correspondant : article endommagé ou qui ne fonctionne pas.\n\n"
                "Dans le formulaire :\n\n"
                "- indiquez le ou les articles de la commande qui sont concernés ;\n"
                "- décrivez précisément l'état de l'article reçu (rayures, pièces cassées ou manquantes…) ou le dysfonctionnement constaté (l'appareil ne s'allume pas, message d'erreur…) ;\n"
                "- ajoutez des photos de l'article et de l'emballage : elles aident le vendeur et, si besoin, le SAV à comprendre la situation.\n\n"
                "Si le colis lui-même a été endommagé pendant le transport, envoyez en plus une lettre recommandée au transporteur pour lui signaler les dégâts. Conservez l'emballage et une copie de votre courrier.\n\n"
                "Le vendeur dispose ensuite de 3 jours ouvrés pour trouver une solution avec vous : échange, rabais ou remboursement. Si vous avez souscrit la garantie Rakuten, il doit vous proposer dans ce délai un échange ou un remboursement. Sans accord, le SAV Rakuten prend le relais.\n\n"
                "Les photos sont acceptées aux formats JPEG, PNG ou WebP et ne sont visibles que par vous, le vendeur et le service client."
            ),
        },
        "en": {
            "title": "Item damaged or not working",
            "summary": "Describe the item's condition or the fault, and what to do if the parcel was damaged in transit.",
            "body": (
                "Did you receive an item that is broken, in much worse condition than the listing said, or that does not work? Open a claim from \"Tous mes achats\" (All my purchases) and choose the matching reason: item damaged or not working.\n\n"
                "In the form:\n\n"
                "- say which items of the order are affected;\n"
                "- describe precisely the condition of the item you received (scratches, broken or missing parts…) or the fault you found (the device does not switch on, an error message…);\n"
                "- add photos of the item and of the packaging: they help the seller and, if needed, customer service understand the situation.\n\n"
                "If the parcel itself was damaged in transit, also send a registered letter to the carrier to report the damage. Keep the packaging and a copy of your letter.\n\n"
                "The seller then has 3 working days to find a solution with you: an exchange, a discount or a refund. If you took the Rakuten guarantee, the seller must offer an exchange or a refund within that time. Without an agreement, Rakuten customer service takes over.\n\n"
                "Photos are accepted in JPEG, PNG or WebP format and can only be seen by you, the seller and customer service."
            ),
        },
    },
    {
        "slug": "article-different",
        "category": "reclamations",
        "position": 3,
        "fr": {
            "title": "Article différent de la commande",
            "summary": "Indiquer la référence de l'article reçu, les différences constatées et joindre des photos.",
            "body": (
                "L'article reçu ne correspond pas à l'annonce : autre modèle, autre couleur, autre taille, autre édition, ou état différent de celui annoncé ? Ouvrez une réclamation depuis « Tous mes achats » en choisissant le motif « article différent de la commande ».\n\n"
                "Soyez aussi précis que possible :\n\n"
                "- relevez la référence exacte de l'article reçu, telle qu'elle figure sur le produit ou son emballage (code-barres EAN, numéro de modèle…) ;\n"
                "- expliquez les différences constatées par rapport à l'article commandé ;\n"
                "- joignez des photos de l'article, de son étiquette et de l'emballage : elles sont fortement recommandées, car elles montrent la différence sans discussion possible.\n\n"
                "Ne renvoyez pas l'article avant de vous être mis d'accord avec le vendeur. Il peut vous proposer un échange, un rabais, un remboursement, ou un retour suivi d'un remboursement, en précisant alors comment renvoyer l'article.\n\n"
                "Le vendeur a 3 jours ouvrés pour trouver une solution avec vous. Avec la garantie Rakuten, il doit dans ce délai vous proposer un échange ou un remboursement. Faute d'accord, le SAV Rakuten reprend le dossier et vous informe, ainsi que le vendeur, de chaque étape."
            ),
        },
        "en": {
            "title": "Item different from your order",
            "summary": "Give the reference of the item you received and the differences you found, and attach photos.",
            "body": (
                "The item you received does not match the listing: a different model, colour, size or edition, or a condition other than the one stated? Open a claim from \"Tous mes achats\" (All my purchases) and choose the reason \"item different from the order\".\n\n"
                "Be as precise as you can:\n\n"
                "- note the exact reference of the item you received, as shown on the product or its packaging (EAN barcode, model number…);\n"
                "- explain the differences you found compared with the item you ordered;\n"
                "- attach photos of the item, its label and the packaging: they are strongly recommended, because they show the difference beyond dispute.\n\n"
                "Do not send the item back before you have agreed with the seller. The seller may offer an exchange, a discount, a refund, or a return followed by a refund, and will then explain how to send the item back.\n\n"
                "The seller has 3 working days to find a solution with you. With the Rakuten guarantee, the seller must offer an exchange or a refund within that time. Without an agreement, Rakuten customer service takes over the case and keeps both you and the seller informed at every step."
            ),
        },
    },
    {
        "slug": "article-contrefait",
        "category": "reclamations",
        "position": 4,
        "fr": {
            "title": "Article contrefait",
            "summary": "Signaler une contrefaçon en détaillant les différences avec le produit original.",
            "body": (
                "Vous pensez avoir reçu une contrefaçon ? Ouvrez une réclamation depuis « Tous mes achats », sur la commande concernée, en choisissant le motif « article contrefait ».\n\n"
                "Dans votre commentaire, détaillez les différences que vous constatez avec le produit original, par exemple :\n\n"
                "- un logo, un marquage ou des étiquettes différents ou mal imprimés ;\n"
                "- des matériaux, des finitions ou un poids inhabituels ;\n"
                "- un emballage, une notice ou un numéro de série absents ou incohérents.\n\n"
                "Des photos de l'article reçu, comparées au produit authentique (photos officielles de la marque, par exemple), renforcent votre dossier.\n\n"
                "Conservez l'article et son emballage en l'état : ne le jetez pas et ne le revendez pas, car un retour pourra vous être demandé.\n\n"
                "Comme pour les autres motifs, le vendeur a 3 jours ouvrés pour vous répondre et trouver une solution avec vous. Faute d'accord, le SAV Rakuten prend le relais, étudie les éléments fournis et décide de l'issue de la réclamation."
            ),
        },
        "en": {
            "title": "Counterfeit item",
            "summary": "Report a counterfeit by describing the differences from the genuine product.",
            "body": (
                "Do you think you have received a counterfeit? Open a claim from \"Tous mes achats\" (All my purchases), on the order concerned, and choose the reason \"counterfeit item\".\n\n"
                "In your comment, describe the differences you notice compared with the genuine product, for example:\n\n"
                "- a logo, markings or labels that differ or are badly printed;\n"
                "- unusual materials, finish or weight;\n"
                "- packaging, instructions or a serial number that are missing or inconsistent.\n\n"
                "Photos of the item you received, set against the genuine product (the brand's official pictures, for instance), strengthen your case.\n\n"
                "Keep the item and its packaging as they are: do not throw them away or resell them, as you may be asked to return the item.\n\n"
                "As with the other reasons, the seller has 3 working days to answer and find a solution with you. Without an agreement, Rakuten customer service takes over, reviews the evidence and decides the outcome of the claim."
            ),
        },
    },
    {
        "slug": "colis-non-recu",
        "category": "reclamations",
        "position": 5,
        "fr": {
            "title": "Colis non reçu : que faire ?",
            "summary": "Colis pas arrivé ou jamais reçu : contactez d'abord le vendeur, puis ouvrez une réclamation à partir du 17e jour après la commande.",
            "body": (
                "Votre colis n'est pas arrivé à la date de livraison prévue ? Consultez d'abord le suivi de la commande dans « Mon compte », rubrique « Tous mes achats » : si l'article a été expédié, le transporteur et le numéro de suivi y sont indiqués.\n\n"
                "Contactez ensuite le vendeur : c'est lui qui peut le mieux vous renseigner sur l'expédition et l'acheminement du colis. Un simple retard de livraison se règle souvent ainsi.\n\n"
                "Si, 17 jours après la date de la commande, vous n'avez toujours rien reçu, vous pouvez ouvrir une réclamation pour colis non reçu depuis la page de la commande, en indiquant les articles qui ne vous sont pas parvenus. Avant ce délai, la page de la commande indique la date à partir de laquelle la réclamation sera possible.\n\n"
                "Le vendeur dispose alors de 3 jours ouvrés pour réagir. Si vous avez souscrit la garantie Rakuten, il doit fournir dans ce délai une preuve formelle d'expédition (transporteur, numéro de suivi, justificatif de dépôt) ; il peut demander une seule fois un délai supplémentaire, sans dépasser 7 jours ouvrés au total. Faute de solution, le SAV Rakuten prend le relais.\n\n"
                "Attention : 6 semaines après l'achat sans réclamation, la vente est clôturée. Si votre colis n'est toujours pas arrivé, n'attendez pas cette date pour agir."
            ),
        },
        "en": {
            "title": "Parcel not received: what to do?",
            "summary": "Parcel not arrived or never received: contact the seller first, then open a claim from the 17th day after the order.",
            "body": (
                "Has your parcel not arrived by the expected delivery date? First check the order's tracking under \"Mon compte\" (My account), in \"Tous mes achats\" (All my purchases): if the item has been shipped, the carrier and the tracking number are shown there.\n\n"
                "Then contact the seller: they are best placed to tell you about the shipment and where the parcel is. A simple delivery delay is often sorted out this way.\n\n"
                "If you still have not received anything 17 days after the order date, you can open a claim for a parcel not received from the order page, saying which items have not arrived. Before then, the order page shows the date from which the claim will be possible.\n\n"
                "The seller then has 3 working days to respond. If you took the Rakuten guarantee, the seller must provide formal proof of shipment within that time (carrier, tracking number, proof of posting); they may ask once for more time, up to 7 working days in all. If there is no solution, Rakuten customer service takes over.\n\n"
                "Note: 6 weeks after the purchase with no claim, the sale is closed. If your parcel still has not arrived, do not wait until then to act."
            ),
        },
    },
    {
        "slug": "autre-probleme",
        "category": "reclamations",
        "position": 6,
        "fr": {
            "title": "Autre problème avec une commande",
            "summary": "Surtaxe payée à la livraison, articles manquants ou autre difficulté : comment le signaler.",
            "body": (
                "Certains problèmes n'entrent dans aucun des autres motifs. Choisissez alors « autre problème » lorsque vous ouvrez la réclamation depuis « Tous mes achats », puis précisez de quel cas il s'agit :\n\n"
                "- surtaxe payée à la livraison : des frais vous ont été réclamés à la réception du colis (taxes, droits de douane, frais de dédouanement…) ;\n"
                "- articles manquants : vous n'avez pas reçu tous les articles commandés auprès du même vendeur ;\n"
                "- autre : toute autre difficulté liée à la commande.\n\n"
                "Donnez ensuite tous les détails utiles : le montant payé pour une surtaxe, la liste des articles manquants, ou une description claire de la situation. Vous pouvez joindre des photos (JPEG, PNG ou WebP), par exemple du reçu remis par le transporteur ou du contenu du colis.\n\n"
                "La suite est la même que pour les autres motifs : le vendeur est prévenu et dispose de 3 jours ouvrés pour trouver avec vous une solution amiable. Sans accord, le SAV Rakuten prend le relais, et vous êtes tenus informés, vous et le vendeur, à chaque étape.\n\n"
                "Pour une question qui ne concerne pas une commande (compte, paiement, fonctionnement du site), utilisez plutôt le formulaire de contact du service client."
            ),
        },
        "en": {
            "title": "Another problem with an order",
            "summary": "A surcharge paid on delivery, missing items or some other issue: how to report it.",
            "body": (
                "Some problems do not fit any of the other reasons. In that case, choose \"other problem\" when you open the claim from \"Tous mes achats\" (All my purchases), then say which case applies:\n\n"
                "- surcharge paid on delivery: you were asked to pay charges when the parcel arrived (taxes, customs duties, clearance fees…);\n"
                "- missing items: you did not receive all the items you ordered from the same seller;\n"
                "- other: any other difficulty with the order.\n\n"
                "Then give all the useful details: the amount paid for a surcharge, the list of missing items, or a clear description of the situation. You can attach photos (JPEG, PNG or WebP), for example of the receipt the carrier gave you or of the parcel's contents.\n\n"
                "What follows is the same as for the other reasons: the seller is notified and has 3 working days to reach an amicable solution with you. Without an agreement, Rakuten customer service takes over, and both you and the seller are kept informed at every step.\n\n"
                "For a question that is not about an order (your account, payment, how the site works), use the customer service contact form instead."
            ),
        },
    },
    {
        "slug": "delais-et-prise-en-charge",
        "category": "reclamations",
        "position": 7,
        "fr": {
            "title": "Délai du vendeur et prise en charge par le SAV Rakuten",
            "summary": "Comment se calcule le délai de 3 jours ouvrés et ce qui se passe quand le SAV Rakuten prend le relais.",
            "body": (
                "Dès l'ouverture d'une réclamation, le vendeur est prévenu et son délai de réponse commence à courir. Il prend fin à 23 h 59 (heure de Paris) le 3e jour ouvré qui suit le jour de l'ouverture. Les jours ouvrés vont du lundi au vendredi, jours fériés exclus.\n\n"
                "Exemple : pour une réclamation ouverte le mardi 23 décembre 2025, on compte le 24, puis le 26 (le 25 est férié), puis le lundi 29 : le délai expire le lundi 29 décembre à 23 h 59.\n\n"
                "Le vendeur reçoit un rappel un jour ouvré avant l'échéance. Pendant ce délai, il peut vous écrire et vous faire une proposition : échange, rabais, remboursement total, retour puis remboursement ou, pour un colis non reçu, preuve d'expédition.\n\n"
                "Une proposition qui attend votre réponse n'arrête pas le délai. Si aucun accord n'est trouvé avant l'échéance, le SAV Rakuten prend le relais.\n\n"
                "Un conseiller étudie alors le dossier (messages, photos, justificatifs) et décide : remboursement total ou partiel, remplacement de l'article, ou clôture en faveur du vendeur. Sa décision est motivée par écrit. À chaque étape, l'acheteur et le vendeur sont informés sur le site et par e-mail."
            ),
        },
        "en": {
            "title": "The seller's deadline and takeover by Rakuten support",
            "summary": "How the 3-business-day deadline is worked out, and what happens when Rakuten's support takes over.",
            "body": (
                "As soon as a claim is opened, the seller is notified and their time to respond starts. It ends at 23:59 (Paris time) on the 3rd working day after the day the claim was opened. Working days are Monday to Friday, excluding public holidays.\n\n"
                "Example: for a claim opened on Tuesday 23 December 2025, count the 24th, then the 26th (the 25th is a public holiday), then Monday the 29th: the deadline is Monday 29 December at 23:59.\n\n"
                "The seller gets a reminder one working day before the deadline. During this time, the seller can write to you and make a proposal: an exchange, a discount, a full refund, a return followed by a refund or, for a parcel not received, proof of shipment.\n\n"
                "A proposal waiting for your answer does not stop the clock. If no agreement is reached by the deadline, Rakuten customer service takes over.\n\n"
                "An agent then reviews the case (messages, photos, documents) and decides: a full or partial refund, a replacement, or closing the claim in the seller's favour. The decision comes with a written reason. At every step, the buyer and the seller are informed on the site and by email."
            ),
        },
    },
    {
        "slug": "cloture-de-la-vente",
        "category": "reclamations",
        "position": 8,
        "fr": {
            "title": "Clôture de la vente après 6 semaines",
            "summary": "Sans réclamation dans les 6 semaines suivant l'achat, la vente est finalisée et plus aucune réclamation n'est possible.",
            "body": (
                "Chaque achat reste ouvert aux réclamations pendant une durée limitée. Si aucune réclamation n'a été faite dans les 6 semaines qui suivent la date d'achat, Rakuten considère que la transaction s'est bien déroulée : la vente est finalisée et clôturée.\n\n"
                "Une fois la vente clôturée, il n'est plus possible d'ouvrir une réclamation sur cette commande, quel qu'en soit le motif. La page de la commande indique alors que la vente est finalisée.\n\n"
                "Quelques repères :\n\n"
                "- la réclamation pour colis non reçu n'est possible qu'à partir du 17e jour après la commande : il reste donc un peu plus de 3 semaines pour l'ouvrir avant la clôture ;\n"
                "- si une réclamation est en cours au bout des 6 semaines, la vente n'est clôturée qu'une fois cette réclamation terminée ;\n"
                "- la clôture est automatique, sans action de votre part ni de celle du vendeur.\n\n"
                "Conseil : vérifiez vos articles dès leur réception et, en cas de problème, ouvrez votre réclamation sans attendre. Vous laissez ainsi au vendeur le temps de répondre et, si besoin, au SAV Rakuten celui d'intervenir."
            ),
        },
        "en": {
            "title": "Closing of the sale after 6 weeks",
            "summary": "With no claim within 6 weeks of the purchase, the sale is finalised and no claim can be made afterwards.",
            "body": (
                "Each purchase stays open to claims for a limited time. If no claim has been made within 6 weeks of the purchase date, Rakuten considers that the transaction went well: the sale is finalised and closed.\n\n"
                "Once the sale is closed, you can no longer open a claim on that order, whatever the reason. The order page then shows that the sale has been finalised.\n\n"
                "Some points to keep in mind:\n\n"
                "- a claim for a parcel not received is only possible from the 17th day after the order, which leaves a little over 3 weeks to open it before the sale closes;\n"
                "- if a claim is still open when the 6 weeks are up, the sale is only closed once that claim has ended;\n"
                "- closing is automatic; neither you nor the seller needs to do anything.\n\n"
                "Tip: check your items as soon as they arrive and, if there is a problem, open your claim straight away. That leaves the seller time to respond and, if needed, Rakuten customer service time to step in."
            ),
        },
    },
    # -------------------- garantie
    {
        "slug": "garantie-rakuten",
        "category": "garantie",
        "position": 1,
        "fr": {
            "title": "La garantie Rakuten",
            "summary": "Recevoir l'article commandé dans l'état annoncé : ce que couvre la garantie et les délais imposés au vendeur.",
            "body": (
                "La garantie Rakuten est une option que vous pouvez souscrire en passant commande, que le vendeur soit un particulier ou un professionnel. Elle vous assure de recevoir l'article commandé, dans l'état décrit par l'annonce. La page de la commande, dans « Tous mes achats », indique si vous l'avez prise.\n\n"
                "Si vous ouvrez une réclamation sur une commande garantie, des délais précis s'imposent au vendeur :\n\n"
                "- colis non reçu : le vendeur doit fournir une preuve formelle d'expédition (transporteur, numéro de suivi, justificatif de dépôt) dans les 3 jours ouvrés ; il peut demander une seule fois un délai supplémentaire, sans dépasser 7 jours ouvrés au total ;\n"
                "- article abîmé ou différent de la commande : le vendeur a 3 jours ouvrés pour proposer une solution satisfaisante, c'est-à-dire un échange ou un remboursement.\n\n"
                "Les jours ouvrés vont du lundi au vendredi, hors jours fériés, et se comptent à partir du lendemain de l'ouverture de la réclamation.\n\n"
                "Si aucun accord n'est trouvé dans ces délais, le SAV Rakuten prend le relais et décide de l'issue : remboursement, remplacement ou clôture en faveur du vendeur. Vous êtes informé à chaque étape.\n\n"
                "La garantie ne change pas les règles générales : la réclamation pour colis non reçu n'est possible qu'à partir du 17e jour après la commande, et aucune réclamation n'est possible après la clôture de la vente, 6 semaines après l'achat."
            ),
        },
        "en": {
            "title": "The Rakuten guarantee",
            "summary": "Receive the item you ordered in the condition described: what the guarantee covers and the deadlines it sets for the seller.",
            "body": (
                "The Rakuten guarantee is an option you can take when you place an order, whether the seller is a private individual or a business. It ensures that you receive the item you ordered, in the condition described in the listing. The order page, under \"Tous mes achats\" (All my purchases), shows whether you took it.\n\n"
                "If you open a claim on a guaranteed order, the seller has strict deadlines:\n\n"
                "- parcel not received: the seller must provide formal proof of shipment (carrier, tracking number, proof of posting) within 3 working days; they may ask once for more time, up to 7 working days in all;\n"
                "- item damaged or different from the order: the seller has 3 working days to offer a satisfactory solution, meaning an exchange or a refund.\n\n"
                "Working days are Monday to Friday, excluding public holidays, counted from the day after the claim was opened.\n\n"
                "If no agreement is reached within these deadlines, Rakuten customer service takes over and decides the outcome: a refund, a replacement, or closing the claim in the seller's favour. You are kept informed at every step.\n\n"
                "The guarantee does not change the general rules: a claim for a parcel not received is only possible from the 17th day after the order, and no claim is possible once the sale is closed, 6 weeks after the purchase."
            ),
        },
    },
]
