/// The small name lists the fixture generator combines into a Chilean retail chain's data.
enum FixtureNames {
    /// A comuna with the city and region it belongs to.
    struct Place {
        let comuna: String
        let ciudad: String
        let region: String
    }

    /// Sub-managements (macro-zones) → zones → the comunas a zone's branches may be in.
    static let geography: [(subgerencia: String, zonas: [(nombre: String, places: [Place])])] = [
        (
            "Subgerencia Norte",
            [
                (
                    "Zona Norte Grande",
                    places("Arica y Parinacota", ["Arica"])
                        + places("Tarapacá", ["Iquique", "Alto Hospicio"], city: "Iquique")
                        + places("Antofagasta", ["Antofagasta", "Calama"])
                ),
                (
                    "Zona Norte Chico",
                    places("Atacama", ["Copiapó", "Vallenar"])
                        + places("Coquimbo", ["La Serena", "Coquimbo", "Ovalle"])
                ),
            ]
        ),
        (
            "Subgerencia Centro",
            [
                (
                    "Zona Valparaíso",
                    places("Valparaíso", ["Valparaíso", "Viña del Mar", "Quilpué", "Villa Alemana", "San Antonio"])
                ),
                (
                    "Zona O'Higgins y Maule",
                    places("Libertador General Bernardo O'Higgins", ["Rancagua", "San Fernando"])
                        + places("Maule", ["Talca", "Curicó", "Linares"])
                ),
            ]
        ),
        (
            "Subgerencia Metropolitana",
            [
                (
                    "Zona Santiago Oriente",
                    santiago(["Providencia", "Las Condes", "Ñuñoa", "La Reina", "Vitacura", "Peñalolén"])
                ),
                (
                    "Zona Santiago Poniente",
                    santiago(["Maipú", "Pudahuel", "Estación Central", "Quilicura", "Cerrillos"])
                ),
                (
                    "Zona Santiago Sur",
                    santiago(["La Florida", "Puente Alto", "San Bernardo", "La Cisterna", "San Miguel"])
                ),
            ]
        ),
        (
            "Subgerencia Sur",
            [
                (
                    "Zona Biobío",
                    places("Biobío", ["Concepción", "Talcahuano", "Los Ángeles", "Coronel"])
                        + places("Ñuble", ["Chillán"])
                ),
                (
                    "Zona Austral",
                    places("La Araucanía", ["Temuco"]) + places("Los Ríos", ["Valdivia"])
                        + places("Los Lagos", ["Osorno", "Puerto Montt"])
                        + places("Magallanes y de la Antártica Chilena", ["Punta Arenas"])
                ),
            ]
        ),
    ]

    static let streets = [
        "Av. Libertador Bernardo O'Higgins", "Av. Providencia", "Av. Vicuña Mackenna", "Calle Arturo Prat",
        "Av. Balmaceda",
        "Calle Colón", "Av. Pedro de Valdivia", "Av. Grecia", "Calle Freire", "Av. Argentina", "Calle Barros Arana",
        "Av. Alemania", "Calle Maipú", "Av. Los Carrera", "Calle San Martín", "Av. Manuel Montt",
    ]
    static let branchSuffixes = ["", " Centro", " Mall", " Plaza", " Express"]
    static let firstNames = [
        "Camila", "Valentina", "Javiera", "Catalina", "Fernanda", "Constanza", "Francisca", "Daniela", "Matías",
        "Benjamín", "Sebastián", "Joaquín", "Diego", "Nicolás", "Felipe", "Cristóbal",
    ]
    static let lastNames = [
        "González", "Muñoz", "Rojas", "Díaz", "Pérez", "Soto", "Contreras", "Silva", "Martínez", "Sepúlveda",
        "Morales", "Rodríguez", "López", "Fuentes", "Hernández", "Torres", "Araya", "Flores", "Valenzuela",
    ]
    static let roles = ["Jefe de tienda", "Subjefe de tienda", "Supervisor zonal", "Auditor interno"]

    static let checks: [(nombre: String, descripcion: String)] = [
        ("Apertura de tienda", "Verificación diaria antes de abrir la tienda al público."),
        ("Cierre de tienda", "Cierre de cajas, alarmas, luces y bodega al final de la jornada."),
        ("Auditoría de caja", "Arqueo de caja y control de los procedimientos de venta."),
        ("Cadena de frío", "Temperaturas de los equipos de frío y sus registros."),
        ("Visual merchandising", "Cumplimiento de planogramas, precios y material POP."),
        ("Seguridad y prevención de riesgos", "Extintores, vías de evacuación y elementos de protección."),
        ("Limpieza e higiene", "Estado de limpieza de la sala de ventas, los baños y la bodega."),
        ("Recepción de mercadería", "Control de despachos, guías y almacenamiento en bodega."),
        ("Atención al cliente", "Protocolo de atención, tiempos de espera y gestión de reclamos."),
        ("Inventario cíclico", "Conteo rotativo de los productos de alta rotación."),
    ]
    static let ambitos = [
        "Fachada y accesos", "Sala de ventas", "Bodega", "Cajas", "Baños", "Personal", "Seguridad", "Exhibición",
        "Documentación", "Equipos de frío",
    ]
    static let preguntas: [(texto: String, tipo: String)] = [
        ("¿El área se encuentra limpia y ordenada?", "si_no"),
        ("¿La señalética está visible y en buen estado?", "si_no"),
        ("¿Los precios están exhibidos correctamente?", "si_no"),
        ("¿El personal usa su uniforme completo?", "si_no"),
        ("¿Los extintores están vigentes y accesibles?", "si_no"),
        ("Evalúe el nivel de abastecimiento", "escala_1_5"),
        ("Evalúe la presentación general", "escala_1_5"),
        ("Adjunte una foto del estado general", "foto"),
        ("Registre la temperatura observada (°C)", "numero"),
        ("Observaciones", "texto"),
    ]
    static let observaciones = [
        "Sin observaciones.", "Se repuso stock durante la visita.", "Se solicitó mantención.",
        "Falta reponer señalética.", "Todo conforme al estándar.",
    ]

    static let areas = [
        "Vitrina", "Entrada principal", "Góndola central", "Cabecera de góndola", "Zona de cajas",
        "Zona de promociones", "Probadores", "Electrohogar", "Perfumería", "Vestuario",
    ]
    static let categorias = [
        "Señalética", "Iluminación", "Orden y limpieza", "Precios visibles", "Planograma", "Material POP",
        "Stock exhibido", "Maniquíes y exhibidores",
    ]
    static let razones = [
        "Falta de stock en exhibición", "Precio no visible o incorrecto", "Material POP dañado o vencido",
        "Producto fuera de planograma", "Iluminación deficiente", "Exhibición sucia o desordenada",
        "Señalética ausente", "Campaña no implementada",
    ]

    /// Comunas of `region`; each is its own city unless `city` says otherwise (a conurbation).
    private static func places(_ region: String, _ comunas: [String], city: String? = nil) -> [Place] {
        comunas.map { Place(comuna: $0, ciudad: city ?? $0, region: region) }
    }

    private static func santiago(_ comunas: [String]) -> [Place] {
        comunas.map { Place(comuna: $0, ciudad: "Santiago", region: "Metropolitana de Santiago") }
    }
}
